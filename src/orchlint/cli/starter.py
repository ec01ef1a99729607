"""The commented starter file ``orchlint init`` writes; a test keeps it valid against the schema."""

STARTER = """\
# orchlint requirements file. Check it with: orchlint check orchlint.yaml
# Every requirement is optional: remove what you do not need; what is absent is not judged.
# The full format: orchlint schema
orchlint: 1
name: my-service                # what is under review
# target: kubernetes            # the platform you have chosen, if any (see: orchlint platforms)
# decided: 2024-01-15           # when you chose it; orchlint then shows what changed since
requirements:
  nodes: 200                    # peak nodes expected in one cluster
  multi_cluster: false          # may the workload be split over several clusters?
  workloads: [containers]       # containers, stateful, big-data, batch, non-container
  production: true              # will run production traffic
  cloud_agnostic: true          # must not tie you to one cloud provider
  vendor_support: preferred     # required | preferred | none
  in_house_expertise: true      # do you have people to run the platform yourselves?
  open_source_only: true        # every feature you rely on is in the free edition
  osi_approved_license: true    # the current release is under an OSI-approved licence
  storage:
    types: [nfs]                # ephemeral, nfs, iscsi, fc, ceph, aws-ebs, gce-pd, azure-disk, local-persistent
  autoscaling:
    enabled: true
    metrics: [cpu, memory]      # cpu, memory, custom, requests, packets
  networking:
    mode: flat                  # flat | host | bridge
  high_availability: true
  health_checks: [liveness, readiness]   # also startup, http, tcp, command, grpc
  upgrades: [rolling]           # rolling, recreate
  rollback: true
  service_discovery: [dns]      # dns, env, vip
priorities:                     # every requirement is a must unless listed here
  autoscaling: should           # must: unmet fails | should: unmet warns | could: noted only
# waivers:                      # accepted risks: reported as waived, not counted, until they expire
#   - rule: scale.node-limit    # a rule id, or a prefix such as scale
#     platform: kubernetes      # optional: only this platform
#     requirement: nodes        # optional: only this requirement (or below it)
#     reason: we split into two clusters before launch
#     owner: platform-team
#     expires: 2025-06-30       # the last day it applies; after it, orchlint warns
"""

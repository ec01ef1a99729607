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
  upgrades: [rolling]           # rolling, recreate, canary, blue-green
  rollback: true
  service_discovery: [dns]      # dns, env, vip
  # What else an architecture review asks; uncomment what the team needs:
  # secrets: true               # the platform stores secrets and injects them into workloads
  # config_injection: true      # configuration reaches containers without rebuilding images
  # multi_tenancy: [namespaces, rbac, quotas]   # several teams share one cluster
  # placement: [constraints, affinity]          # pin to nodes; affinity, anti-affinity, spread
  # global_services: true       # one instance per node (log shippers, agents)
  # scheduled_jobs: true        # cron-style jobs
  # multi_zone: true            # one cluster survives the loss of an availability zone
  # multi_region: true          # operated across regions as one system
  # gpu: true                   # GPUs or other devices scheduled as resources
  # network_policy: true        # rules on which workloads may talk to which
  # ingress: true               # HTTP routing by host and path from outside
  # windows_nodes: true         # Windows containers on Windows nodes
  # service_mesh: true          # mutual TLS and traffic policy between services
  # self_healing: true          # failed containers restarted, failed nodes' work rescheduled
  # runtime_choice: true        # the team picks the container runtime (e.g. a sandboxed one)
  # monitoring: true            # metrics of nodes and workloads from the platform itself
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

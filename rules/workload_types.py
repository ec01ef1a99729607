"""``workloads`` lists the kinds of workload the platform must run.

post-1 and post-2: Mesos runs container and non-container workloads and big-data frameworks;
Kubernetes is built for container orchestration only.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, items_rule

RULE = items_rule(
    id='workload.types',
    title='The platform runs every kind of workload needed',
    rationale=__doc__ or "",
    requirement='workloads',
    prefix='workload',
    what='workload',
    sources=cite('post-1 §2', 'post-2 §Weaknesses vs strengths'),
    examples=(
        Example('pass', {'workloads': ['containers', 'stateful']}, {'workload.containers': True, 'workload.stateful': True}),
        Example('fail', {'workloads': ['containers', 'stateful']}, {'workload.containers': True, 'workload.stateful': False}),
        Example('warn', {'workloads': ['containers', 'stateful']}, {'workload.containers': True, 'workload.stateful': 'limited'}),
        Example('warn', {'workloads': ['containers', 'stateful']}, {'workload.containers': True}),
    ),
)

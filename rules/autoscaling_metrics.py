"""``autoscaling.metrics`` lists the metrics autoscaling must act on.

post-2: Kubernetes scales on CPU, memory, requests, packets and custom metrics.
"""

from __future__ import annotations

from orchlint.knowledge import cite
from orchlint.rulekit import Example, items_rule

RULE = items_rule(
    id='autoscaling.metrics',
    title='Autoscaling acts on the metrics needed',
    rationale=__doc__ or "",
    requirement='autoscaling',
    subkey='metrics',
    prefix='autoscaling_metric',
    what='autoscaling on',
    sources=cite('post-2 §Auto scaling'),
    examples=(
        Example('pass', {'autoscaling': {'metrics': ['cpu', 'custom']}}, {'autoscaling_metric.cpu': True, 'autoscaling_metric.custom': True}),
        Example('fail', {'autoscaling': {'metrics': ['cpu', 'custom']}}, {'autoscaling_metric.cpu': True, 'autoscaling_metric.custom': False}),
        Example('warn', {'autoscaling': {'metrics': ['cpu', 'custom']}}, {'autoscaling_metric.cpu': True, 'autoscaling_metric.custom': 'limited'}),
        Example('warn', {'autoscaling': {'metrics': ['cpu', 'custom']}}, {'autoscaling_metric.cpu': True}),
    ),
)

"""RFC 9457 problem+json for every error a service answers, written once at the edge.

The domain raises its own errors, each a `DomainError` that names its status once:

>>> class TaskNotFound(DomainError):
...     status = 404

Routes that must answer an HTTP error themselves raise `ProblemError`.
"""

from chassis.errors.domain import DomainError
from chassis.errors.problem import FieldError, Problem, ProblemError, problem_response

__all__ = ["DomainError", "FieldError", "Problem", "ProblemError", "problem_response"]

"""RFC 9457 problem+json for every error a service answers, mapped at the edge through one table.

The domain raises its own errors (`TaskNotFound`); the service tells `create_app` their statuses:

>>> create_app(settings, errors={TaskNotFound: 404, TransitionNotAllowed: 409})

Routes that must answer an HTTP error themselves raise `ProblemError`.
"""

from chassis.errors.problem import FieldError, Problem, ProblemError, problem_response

__all__ = ["FieldError", "Problem", "ProblemError", "problem_response"]

"""pySHACL run without four costs that do not change its report graph (measured at N=10: about a third of a unit).

:func:`lean` is a context manager around the per-unit ``pyshacl.validate`` call (:mod:`kg92.build.shard`):

* **constraint parameters looked up in a set.** For every shape it evaluates, nested ones included (a qualified
  value shape, each member of an ``sh:or``… once per value node), pySHACL 0.40 lists the shape's predicates that are
  constraint parameters with ``p in search_parameters``, a *list* of about forty IRIs compared one by one with
  rdflib's slow ``__eq__`` (some 380 k comparisons for one document file). The list is replaced, in pySHACL's own
  module-level cache (``pyshacl.shape.CONSTRAINT_PARAMS``), by a list of the same parameters in the same order
  whose ``in`` is a set lookup; ``copy``/``append`` (advanced mode) keep that type.
* **constraint components made once per shape.** pySHACL constructs each constraint component of a shape (reading
  its parameters from the shapes graph) every time it validates the shape, i.e. once per nested evaluation; the
  component classes of its parameter map are replaced by factories that keep one instance per (class, shape) for
  the duration of the run (a component's state is its parsed parameters; a load warning is raised each time, as
  before).
* **no text descriptions.** Each result — the nested ones pySHACL builds and then drops (a value that fails a
  qualified value shape, a failed ``sh:or`` branch) as well as the kept ones — gets a multi-line text description
  that stringifies its nodes; only the text report (``results_text``) uses it, and the build reads the report
  *graph* only (:func:`kg92.build.shard.raw_results`). Inside :func:`lean` the description is empty.
* **a property shape validated once for all its focus nodes.** ``sh:property`` is evaluated by calling the
  property shape's ``validate`` once *per focus node* (2,077 nodes × their property shapes: 23 k calls for one
  document file, each re-creating its constraint components); here it is called once with the list of those
  nodes, which pySHACL supports (a shape's ``validate(focus=[…])``) and which yields the same results, each
  still made per focus node and value. The recursion guard and the errors are pySHACL's own.

All four are restored on exit (``meta_check``'s failure message is pySHACL's text report, outside :func:`lean`).
"""

from __future__ import annotations

from contextlib import contextmanager


class FastParams(list):
    """A list whose membership test is a set lookup (the terms are hashable IRIs)."""

    def __init__(self, items=()):
        super().__init__(items)
        self._set = frozenset(self)

    def __contains__(self, item) -> bool:
        return item in self._set

    def append(self, item) -> None:
        super().append(item)
        self._set = self._set | {item}

    def copy(self) -> FastParams:
        return FastParams(self)


class _Once:
    """A constraint component class's stand-in in pySHACL's parameter map: one instance per shape."""

    def __init__(self, cls):
        self.cls, self.made = cls, {}

    def __call__(self, shape):
        key = id(shape)
        if key not in self.made:
            self.made[key] = (shape, self.cls(shape))   # the shape kept alive with its id
        return self.made[key][1]


def _factories(mapping: dict) -> dict:
    once = {cls: _Once(cls) for cls in set(mapping.values())}
    return {param: once[cls] for param, cls in mapping.items()}


def _no_description(*_args, **_kwargs) -> str:
    return ""


def _batched(self, executor, prop_shape, target_graph, focus_value_nodes, potentially_recursive, _evaluation_path):
    """pySHACL's ``PropertyConstraintComponent._evaluate_property_shape`` with one ``validate`` call for all the
    value nodes (the shortcut and checks are its own; the value nodes are de-duplicated, in their order)."""
    from warnings import warn

    from pyshacl.errors import ShapeRecursionWarning

    found = self.shape.get_other_shape(prop_shape)
    if potentially_recursive and found in potentially_recursive:
        warn(ShapeRecursionWarning(_evaluation_path), stacklevel=2)
        return False, []
    if not found or not found.is_property_shape:
        return _SAVED["property"](self, executor, prop_shape, target_graph, focus_value_nodes, potentially_recursive,
                                  _evaluation_path)   # pySHACL's own error
    nodes = list(dict.fromkeys(v for values in focus_value_nodes.values() for v in values))
    if not nodes:
        return False, []
    conforms, reports = found.validate(executor, target_graph, focus=nodes, _evaluation_path=_evaluation_path[:])
    return not conforms, reports


_SAVED: dict = {}


@contextmanager
def lean():
    import pyshacl.shape as shape_module
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    from pyshacl.constraints.constraint_component import ConstraintComponent
    from pyshacl.constraints.core.shape_based_constraints import PropertyConstraintComponent as Property

    saved_params = getattr(shape_module, "CONSTRAINT_PARAMS", None)
    saved_desc = ConstraintComponent.__dict__["make_v_result_description"]
    shape_module.CONSTRAINT_PARAMS = (FastParams(ALL_CONSTRAINT_PARAMETERS), _factories(CONSTRAINT_PARAMETERS_MAP))
    ConstraintComponent.make_v_result_description = _no_description
    _SAVED["property"] = Property.__dict__["_evaluate_property_shape"]
    Property._evaluate_property_shape = _batched
    try:
        yield
    finally:
        ConstraintComponent.make_v_result_description = saved_desc
        Property._evaluate_property_shape = _SAVED["property"]
        if saved_params is None:
            del shape_module.CONSTRAINT_PARAMS
        else:
            shape_module.CONSTRAINT_PARAMS = saved_params

"""Selection sets built up field by field, merging what is selected twice.

The planner adds fields to subgraph operations one at a time (the client's fields,
plus ``__typename`` and key fields it needs); ``SelectionBuilder`` merges equal
fields and equal inline fragments, keeps first-seen order, and prints as AST.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    ArgumentNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    SelectionNode,
    SelectionSetNode,
    print_ast,
)

Key = tuple[str, ...]

_TYPENAME: Key = ("field", "__typename", "__typename", "", "")


@dataclass
class FieldEntry:
    node: FieldNode
    children: SelectionBuilder | None


@dataclass
class FragmentEntry:
    type_condition: str | None
    directives: tuple[DirectiveNode, ...]
    children: SelectionBuilder


@dataclass
class SelectionBuilder:
    """An ordered, merging selection set under construction."""

    entries: dict[Key, FieldEntry | FragmentEntry] = field(default_factory=dict)
    # Keys of the fields ``add_leading`` placed, in order.
    leading: list[Key] = field(default_factory=list)

    def add_field(self, node: FieldNode, *, composite: bool) -> SelectionBuilder | None:
        """Add a field (without its sub-selections); return the builder for them."""
        key = _field_key(node)
        entry = self.entries.get(key)
        if entry is None:
            bare = FieldNode(
                alias=node.alias,
                name=node.name,
                arguments=node.arguments,
                directives=node.directives,
            )
            entry = FieldEntry(bare, SelectionBuilder() if composite else None)
            self.entries[key] = entry
        assert isinstance(entry, FieldEntry)
        return entry.children

    def add_typename(self) -> None:
        """Select ``__typename``, first, where Apollo's subgraph operations have it."""
        if _TYPENAME not in self.entries:
            entry = FieldEntry(FieldNode(name=NameNode(value="__typename")), None)
            self.entries = {_TYPENAME: entry, **self.entries}

    def add_fragment(
        self, type_condition: str | None, directives: tuple[DirectiveNode, ...] = ()
    ) -> SelectionBuilder:
        """The builder of ``... on type_condition @directives``, created if new."""
        key = ("fragment", type_condition or "", _print_all(directives))
        entry = self.entries.get(key)
        if entry is None:
            entry = FragmentEntry(type_condition, directives, SelectionBuilder())
            self.entries[key] = entry
        assert isinstance(entry, FragmentEntry)
        return entry.children

    def add_selection_set(self, selection_set: SelectionSetNode) -> None:
        """Merge plain fields and inline fragments (no spreads), e.g. a key field set."""
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                children = self.add_field(selection, composite=selection.selection_set is not None)
                if children is not None and selection.selection_set is not None:
                    children.add_selection_set(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                name = condition.name.value if condition else None
                fragment = self.add_fragment(name, tuple(selection.directives or ()))
                fragment.add_selection_set(selection.selection_set)

    def add_first(self, selection_set: SelectionSetNode) -> None:
        """Merge ``selection_set`` with its fields before the others (an entity key)."""
        self.add_selection_set(selection_set)
        front = [_field_key(f) for f in selection_set.selections if isinstance(f, FieldNode)]
        if _TYPENAME in self.entries:
            front.insert(0, _TYPENAME)
        self.entries = {k: self.entries[k] for k in front} | self.entries

    def add_leading(self, selection_set: SelectionSetNode) -> None:
        """Merge ``selection_set`` after ``__typename`` and the fields this method added
        before, ahead of the others: where Apollo selects the values of a context."""
        self.add_typename()
        known = set(self.entries)
        self.add_selection_set(selection_set)
        self.leading += [key for key in self.entries if key not in known]
        self.entries = {k: self.entries[k] for k in [_TYPENAME, *self.leading]} | self.entries

    def add_key(self, key: SelectionSetNode, *, first: bool = True) -> None:
        """Select ``__typename`` first and an entity key, before the other fields
        unless ``first`` is false."""
        if not first:
            self.add_typename()
            self.add_selection_set(key)
            return
        typename = FieldNode(name=NameNode(value="__typename"))
        self.add_first(SelectionSetNode(selections=(typename, *key.selections)))

    def is_empty(self) -> bool:
        return not self.entries

    def build(self) -> SelectionSetNode:
        return SelectionSetNode(selections=tuple(_build_entry(e) for e in self.entries.values()))


def inline_fragments(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> SelectionSetNode:
    """The selection set with every named fragment spread turned into an inline fragment."""
    selections: list[SelectionNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            definition = fragments[selection.name.value]
            selections.append(
                InlineFragmentNode(
                    type_condition=definition.type_condition,
                    directives=selection.directives,
                    selection_set=inline_fragments(definition.selection_set, fragments),
                )
            )
        elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
            inner = inline_fragments(selection.selection_set, fragments)
            selections.append(_with_selection_set(selection, inner))
        else:
            selections.append(selection)
    return SelectionSetNode(selections=tuple(selections))


def type_condition_node(name: str) -> NamedTypeNode:
    return NamedTypeNode(name=NameNode(value=name))


def _with_selection_set(selection: SelectionNode, selection_set: SelectionSetNode) -> SelectionNode:
    if isinstance(selection, FieldNode):
        return FieldNode(
            alias=selection.alias,
            name=selection.name,
            arguments=selection.arguments,
            directives=selection.directives,
            selection_set=selection_set,
        )
    assert isinstance(selection, InlineFragmentNode)
    return InlineFragmentNode(
        type_condition=selection.type_condition,
        directives=selection.directives,
        selection_set=selection_set,
    )


def _build_entry(entry: FieldEntry | FragmentEntry) -> SelectionNode:
    if isinstance(entry, FieldEntry):
        if entry.children is None:
            return entry.node
        return _with_selection_set(entry.node, entry.children.build())
    condition = type_condition_node(entry.type_condition) if entry.type_condition else None
    return InlineFragmentNode(
        type_condition=condition,
        directives=entry.directives,
        selection_set=entry.children.build(),
    )


def _field_key(node: FieldNode) -> Key:
    arguments = _print_all(node.arguments)
    return ("field", _response_key(node), node.name.value, arguments, _print_all(node.directives))


def _response_key(node: FieldNode) -> str:
    return node.alias.value if node.alias else node.name.value


def _print_all(nodes: tuple[ArgumentNode, ...] | tuple[DirectiveNode, ...] | None) -> str:
    return " ".join(print_ast(node) for node in nodes or ())

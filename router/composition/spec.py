"""The link and join definitions a supergraph carries.

Their text must match the specs byte for byte: routers (Apollo's and ours) recognise the
supergraph by them. The join version follows the newest federation version a subgraph links.
"""

from __future__ import annotations

SPECS = "https://specs.apollo.dev"
LINK = (
    "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) "
    "repeatable on SCHEMA"
)
LINK_PURPOSE = '''enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}'''
CONTEXT_ARGUMENT = """input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}"""


def join_version(federation: tuple[int, int]) -> tuple[int, int]:
    if federation >= (2, 8):
        return (0, 5)
    return (0, 4) if federation >= (2, 7) else (0, 3)


def schema_links(federation: tuple[int, int]) -> list[str]:
    """The link and join ``@link`` applications, first on ``schema``."""
    major, minor = join_version(federation)
    return [
        f'@link(url: "{SPECS}/link/v1.0")',
        f'@link(url: "{SPECS}/join/v{major}.{minor}", for: EXECUTION)',
    ]


def directive_definitions(federation: tuple[int, int]) -> list[str]:
    join = join_version(federation)
    field_args = [
        "graph: join__Graph", "requires: join__FieldSet", "provides: join__FieldSet",
        "type: String", "external: Boolean", "override: String", "usedOverridden: Boolean",
    ]  # fmt: skip
    if join >= (0, 4):
        field_args.append("overrideLabel: String")
    if join >= (0, 5):
        field_args.append("contextArguments: [join__ContextArgument!]")
    definitions = [
        "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE",
        f"directive @join__field({', '.join(field_args)}) repeatable on FIELD_DEFINITION | "
        "INPUT_FIELD_DEFINITION",
        "directive @join__graph(name: String!, url: String!) on ENUM_VALUE",
        "directive @join__implements(graph: join__Graph!, interface: String!) repeatable on "
        "OBJECT | INTERFACE",
        "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = "
        "false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on "
        "OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR",
        "directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION",
        LINK,
    ]
    if join >= (0, 4):
        definitions.append(
            "directive @join__directive(graphs: [join__Graph!], name: String!, args: "
            "join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION"
        )
    return definitions


def type_definitions(federation: tuple[int, int]) -> dict[str, str]:
    """join/link types but ``join__Graph``, which lists the subgraphs; by name."""
    join = join_version(federation)
    types = {
        "join__FieldSet": "scalar join__FieldSet",
        "link__Import": "scalar link__Import",
        "link__Purpose": LINK_PURPOSE,
    }
    if join >= (0, 4):
        types["join__DirectiveArguments"] = "scalar join__DirectiveArguments"
    if join >= (0, 5):
        types["join__ContextArgument"] = CONTEXT_ARGUMENT
        types["join__FieldValue"] = "scalar join__FieldValue"
    return types

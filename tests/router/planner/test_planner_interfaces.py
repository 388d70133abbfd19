"""Interfaces: fields by type condition, jumps per implementation."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text

MEDIA = """
type Query {
  media: [Media!]!
}

interface Media {
  id: ID!
  title: String!
}

type Book implements Media @key(fields: "id") {
  id: ID!
  title: String!
  pages: Int
}

type Movie implements Media @key(fields: "id") {
  id: ID!
  title: String!
  minutes: Int
}
"""

RATINGS = """
type Book @key(fields: "id") {
  id: ID!
  rating: Int
}

type Movie @key(fields: "id") {
  id: ID!
  rating: Int
}
"""


def test_interface_fields_stay_in_one_fetch(supergraph_of: SupergraphOf) -> None:
    """Apollo adds __typename to abstract selections."""
    # given
    supergraph = supergraph_of(media=MEDIA, ratings=RATINGS)
    operation = """
        {
          media {
            __typename
            id
            ... on Book {
              pages
            }
          }
        }
    """

    # when
    plan = plan_text(supergraph, operation)

    # then
    assert plan == expected(
        """
        QueryPlan {
          Fetch(service: "media") {
            {
              media {
                __typename
                id
                ... on Book {
                  pages
                }
              }
            }
          },
        }
        """
    )


def test_implementations_jump_in_one_entity_fetch(supergraph_of: SupergraphOf) -> None:
    """Book and Movie ratings come from one _entities fetch."""
    # given
    supergraph = supergraph_of(media=MEDIA, ratings=RATINGS)
    operation = """
        {
          media {
            title
            ... on Book {
              pages
              rating
            }
            ... on Movie {
              rating
            }
          }
        }
    """

    # when
    plan = plan_text(supergraph, operation)

    # then
    assert plan == expected(
        """
        QueryPlan {
          Sequence {
            Fetch(service: "media") {
              {
                media {
                  __typename
                  title
                  ... on Book {
                    __typename
                    id
                    pages
                  }
                  ... on Movie {
                    __typename
                    id
                  }
                }
              }
            },
            Flatten(path: "media.@") {
              Fetch(service: "ratings") {
                {
                  ... on Book {
                    __typename
                    id
                  }
                  ... on Movie {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Book {
                    rating
                  }
                  ... on Movie {
                    rating
                  }
                }
              },
            },
          },
        }
        """
    )

"""Subgraph SDL snippets that several planner test files build supergraphs from."""

# The classic accounts / products / reviews trio.
ACCOUNTS = """
type Query {
  me: User
  users: [User!]!
}

type Mutation {
  login(name: String!): User
  rename(name: String!): User
}

type User @key(fields: "id") {
  id: ID!
  name: String!
}
"""

PRODUCTS = """
type Query {
  topProducts(first: Int = 5): [Product!]!
}

type Mutation {
  addProduct(name: String!): Product
}

type Product @key(fields: "upc") {
  upc: String!
  name: String!
  price: Int!
}
"""

REVIEWS = """
type Review {
  id: ID!
  body: String!
  author: User!
  product: Product!
}

type User @key(fields: "id") {
  id: ID!
  reviews: [Review!]!
}

type Product @key(fields: "upc") {
  upc: String!
  reviews: [Review!]!
}
"""

# Users split across two subgraphs by one key.
USERS = """
type Query {
  me: User
  user(id: ID!): User
}

type User @key(fields: "id") {
  id: ID!
  name: String
}
"""

EMAILS = """
type User @key(fields: "id") {
  id: ID!
  email: String
  posts(first: Int!): [String]
}
"""

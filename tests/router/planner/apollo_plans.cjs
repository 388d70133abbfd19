// Apollo's query plans for many operations on one supergraph, in one Node process.
// Usage: NODE_PATH=tests/peers/node_modules node apollo_plans.cjs supergraph.graphql
// stdin: [{"query": "...", "operationName": "..." | null}, ...]
// stdout: [{"text": "<printed plan>", "json": <plan as JSON>}, ...], in input order.
const { readFileSync } = require("node:fs");
const {
  Supergraph,
  ROUTER_SUPPORTED_SUPERGRAPH_FEATURES,
  operationFromDocument,
} = require("@apollo/federation-internals");
const { QueryPlanner, prettyFormatQueryPlan } = require("@apollo/query-planner");
const { parse } = require("graphql");

// Apollo's router's feature set: its gateway refuses supergraphs using @context.
const supergraph = Supergraph.build(readFileSync(process.argv[2], "utf8"), {
  supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES,
});
const planner = new QueryPlanner(supergraph);
const plans = JSON.parse(readFileSync(0, "utf8")).map(({ query, operationName }) => {
  const operation = operationFromDocument(supergraph.apiSchema(), parse(query), {
    operationName: operationName ?? undefined,
  });
  const plan = planner.buildQueryPlan(operation);
  return { text: prettyFormatQueryPlan(plan), json: JSON.parse(JSON.stringify(plan)) };
});
process.stdout.write(JSON.stringify(plans));

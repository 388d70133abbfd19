// Print Apollo's query plan for an operation against a supergraph.
// Usage: node plan.mjs supergraph.graphql operation.graphql [operationName]
// Also prints the subgraph operation texts (JSON) when PLAN_JSON=1.
import { readFileSync } from "node:fs";
import { Supergraph, operationFromDocument } from "@apollo/federation-internals";
import { QueryPlanner, prettyFormatQueryPlan } from "@apollo/query-planner";
import { parse } from "graphql";

const [supergraphPath, operationPath, operationName] = process.argv.slice(2);
const supergraph = Supergraph.build(readFileSync(supergraphPath, "utf8"));
const document = parse(readFileSync(operationPath, "utf8"));
const operation = operationFromDocument(supergraph.apiSchema(), document, {
  operationName,
});
const plan = new QueryPlanner(supergraph).buildQueryPlan(operation);
process.stdout.write(prettyFormatQueryPlan(plan) + "\n");
if (process.env.PLAN_JSON === "1") {
  process.stdout.write(JSON.stringify(plan, null, 2) + "\n");
}

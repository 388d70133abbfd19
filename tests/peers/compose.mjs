// Compose subgraph SDL files with Apollo's composition; print the supergraph SDL.
// Usage: node compose.mjs name=url=path.graphql ...   (errors go to stderr, exit 1)
import { readFileSync } from "node:fs";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

const services = process.argv.slice(2).map((arg) => {
  const [name, url, path] = arg.split("=");
  return { name, url, typeDefs: parse(readFileSync(path, "utf8")) };
});
const result = composeServices(services);
if (result.errors) {
  for (const error of result.errors) {
    console.error(`${error.extensions?.code ?? "ERROR"}: ${error.message}`);
  }
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);

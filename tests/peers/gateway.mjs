// Serve a supergraph with Apollo's gateway, to compare its answers with our router's.
// Usage: node gateway.mjs supergraph.graphql PORT
// Listens on 127.0.0.1:PORT/graphql; the subgraph URLs are the supergraph's own.
// Forwards the client's Authorization header to every subgraph, as our router does.
// Prints "listening <url>" on stdout once ready.
import { readFileSync } from "node:fs";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const [supergraphPath, port] = process.argv.slice(2);

class ForwardingDataSource extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    const authorization = context.authorization;
    if (authorization) request.http.headers.set("authorization", authorization);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(supergraphPath, "utf8"),
  buildService: ({ url }) => new ForwardingDataSource({ url }),
});
const server = new ApolloServer({
  gateway,
  csrfPrevention: false,
  includeStacktraceInErrorResponses: false,
});
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(port), host: "127.0.0.1" },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
process.stdout.write(`listening ${url}\n`);

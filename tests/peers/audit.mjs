// Run graphql-http's GraphQL-over-HTTP audit against a server; print the results as JSON.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
import { auditServer } from "graphql-http";

const [url] = process.argv.slice(2);
const results = await auditServer({ url });
const printable = await Promise.all(
  results.map(async (result) => ({
    id: result.id,
    name: result.name,
    status: result.status,
    reason: result.reason ?? null,
    response: result.response ? await result.response.text().catch(() => null) : null,
  })),
);
process.stdout.write(JSON.stringify(printable, null, 2));

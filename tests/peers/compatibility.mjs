// Apollo's subgraph compatibility suite without its CLI (which needs rover and Docker).
//
// node compatibility.mjs subgraph users|inventory
//   Serves the suite's reference subgraph on its fixed port (users 4002, inventory 4003),
//   bound to 127.0.0.1 rather than every interface.
// node compatibility.mjs run PRODUCTS_URL
//   Runs the suite's jest tests against the products subgraph at PRODUCTS_URL and the
//   gateway the tests expect on http://localhost:4000/; prints a JSON summary on stdout:
//   {"features": [{"name", "required", "passed"}],
//    "tests": [{"feature", "name", "passed", "failureMessages"}]}
import net from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const PACKAGE = "@apollo/federation-subgraph-compatibility-tests";
const DIST = dirname(require.resolve(`${PACKAGE}/dist/testRunner.js`));
const SUBGRAPHS = ["users", "inventory"];

async function serveSubgraph(name) {
  if (!SUBGRAPHS.includes(name)) throw new Error(`unknown subgraph ${name}`);
  // The reference subgraphs listen on { port } only: pin them to the loopback interface.
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (options, ...rest) {
    if (typeof options === "object" && options !== null && options.host === undefined) {
      options = { ...options, host: "127.0.0.1" };
    }
    return listen.call(this, options, ...rest);
  };
  await import(join(DIST, "subgraphs", name, "index.js"));
}

async function run(productsUrl) {
  const { runJest, TESTS } = require(`${PACKAGE}/dist/testRunner.js`);
  const { assertions, assertionPassed } = await runJest(productsUrl);
  const summary = {
    features: TESTS.map(({ assertion, required }) => ({
      name: assertion,
      required,
      passed: assertionPassed(assertion),
    })),
    tests: assertions.map((a) => ({
      feature: a.ancestorTitles[0] ?? a.fullName,
      name: a.fullName,
      passed: a.status === "passed",
      failureMessages: a.failureMessages,
    })),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

const [command, argument] = process.argv.slice(2);
if (command === "subgraph") await serveSubgraph(argument);
else if (command === "run") await run(argument);
else {
  console.error("usage: node compatibility.mjs subgraph users|inventory | run PRODUCTS_URL");
  process.exit(2);
}

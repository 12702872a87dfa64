// Reads a multi-document YAML stream on stdin (e.g. `kubectl kustomize deploy/`) and validates
// every object against the Kubernetes OpenAPI schema with the kubernetes-models validators.
// Prints one line per object; exits 1 if any object is invalid or of an unknown kind.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve) => {
  let data = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (c) => (data += c));
  process.stdin.on("end", () => resolve(data));
});

let failed = 0;
for (const doc of parseAllDocuments(input)) {
  const obj = doc.toJS();
  if (!obj) continue;
  const { apiVersion, kind } = obj;
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const modulePath = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  const name = `${kind}/${obj.metadata?.name}`;
  try {
    const mod = await import(modulePath);
    const Model = mod[kind] ?? mod.default;
    new Model(obj).validate();
    console.log(`valid ${apiVersion} ${name}`);
  } catch (e) {
    failed++;
    console.log(`INVALID ${apiVersion} ${name}: ${e.message.split("\n").slice(0, 5).join(" | ")}`);
  }
}
process.exit(failed ? 1 : 0);

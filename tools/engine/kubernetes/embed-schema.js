// Writes the two files the provider's main embeds, from the schema its Go module ships,
// with the provider version stamped in (the upstream build generates them the same way).
const fs = require("node:fs");
const path = require("node:path");

const [sourceDir, version, targetDir] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(path.join(sourceDir, "schema.json"), "utf8"));
schema.version = version;
fs.writeFileSync(path.join(targetDir, "schema-embed.json"), JSON.stringify(schema));
const mapping = JSON.parse(fs.readFileSync(path.join(sourceDir, "terraform-mapping.json"), "utf8"));
fs.writeFileSync(path.join(targetDir, "terraform-mapping-embed.json"), JSON.stringify(mapping));

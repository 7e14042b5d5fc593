// Command pulumi-resource-kubernetes serves the Kubernetes provider built from its Go module.
// The upstream main embeds generated files that are not part of the module zip; setup writes
// them next to this file from the schema the module does ship (see tools/engine/build.sh).
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var schema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, schema, terraformMapping)
}

//go:build tools

// Package tools pins Helm, which tests use to render the real charts with the project's values; never compiled.
package tools

import _ "helm.sh/helm/v3/cmd/helm"

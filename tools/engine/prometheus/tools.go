//go:build tools

// Package tools pins Prometheus, the server the metric-check tests query over its HTTP API; never compiled.
package tools

import _ "github.com/prometheus/prometheus/cmd/prometheus"

//go:build tools

// Package tools pins actionlint, which checks the GitHub Actions workflows (shipped and emitted); never compiled.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"

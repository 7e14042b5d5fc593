//go:build tools

// Package tools pins the Node.js language host this project builds; it is never compiled.
package tools

import _ "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"

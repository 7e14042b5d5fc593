//go:build tools

// Package tools pins kwok, which simulates nodes and pods so local Deployments become Available; never compiled.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"

//go:build tools

// Package tools pins gofakes3, the S3 emulator (with conditional writes) the tests run an s3:// backend against; never compiled.
package tools

import _ "github.com/johannesboyne/gofakes3/cmd/gofakes3"

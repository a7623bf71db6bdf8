package config

import _ "embed"

// Example is a commented configuration with every key, written by `sollecito init`.
//
//go:embed example.toml
var Example string

//go:build ignore

// Docker's matching of one .dockerignore pattern, for test/check/docker-pattern.test.ts, written
// from moby/patternmatcher's documented behaviour with Go's own libraries: the pattern must pass
// filepath.Match's syntax check, then literal text is compared as a string (whole, or as a prefix
// before a trailing **, or a suffix after a leading **), and anything else becomes a Go regexp
// with .+()|{}$ escaped and every other character passed through.
//
// Input on stdin: [{"pattern": "...", "paths": ["..."]}]; output: [{"error": "..."} or {"matches": [true, ...]}].
package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

type testCase struct {
	Pattern string   `json:"pattern"`
	Paths   []string `json:"paths"`
}

type result struct {
	Error   string `json:"error,omitempty"`
	Matches []bool `json:"matches"`
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	out := make([]result, len(cases))
	for i, c := range cases {
		match, err := matcher(c.Pattern)
		if err != nil {
			out[i].Error = err.Error()
			continue
		}
		out[i].Matches = []bool{}
		for _, p := range c.Paths {
			out[i].Matches = append(out[i].Matches, match(p))
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}

func matcher(pattern string) (func(string) bool, error) {
	if err := syntaxError(pattern); err != nil {
		return nil, err
	}
	kind := "exact"
	expr := "^"
	runes := []rune(pattern)
	for i := 0; i < len(runes); i++ {
		first := i == 0
		ch := runes[i]
		switch {
		case ch == '*' && i+1 < len(runes) && runes[i+1] == '*':
			i++
			if i+1 < len(runes) && runes[i+1] == '/' {
				i++
			}
			if i+1 == len(runes) {
				if kind == "exact" {
					kind = "prefix"
				} else {
					expr += ".*"
					kind = "regexp"
				}
			} else {
				expr += "(.*/)?"
				kind = "regexp"
			}
			if first {
				kind = "suffix"
			}
		case ch == '*':
			expr += "[^/]*"
			kind = "regexp"
		case ch == '?':
			expr += "[^/]"
			kind = "regexp"
		case strings.ContainsRune(".+()|{}$", ch):
			expr += `\` + string(ch)
		case ch == '\\':
			if i+1 < len(runes) {
				i++
				expr += `\` + string(runes[i])
				kind = "regexp"
			} else {
				expr += `\`
			}
		case ch == '[' || ch == ']':
			expr += string(ch)
			kind = "regexp"
		default:
			expr += string(ch)
		}
	}
	switch kind {
	case "exact":
		return func(p string) bool { return p == pattern }, nil
	case "prefix":
		return func(p string) bool { return strings.HasPrefix(p, pattern[:len(pattern)-2]) }, nil
	case "suffix":
		suffix := pattern[2:]
		return func(p string) bool {
			return strings.HasSuffix(p, suffix) || (suffix != "" && suffix[0] == '/' && p == suffix[1:])
		}, nil
	}
	re, err := regexp.Compile(expr + "$")
	if err != nil {
		return nil, err
	}
	return re.MatchString, nil
}

// filepath.Match's verdict on the pattern's syntax, as Docker asks it. Go 1.20 and later (Docker's
// Go) check the whole pattern even when an early part does not match; Go 1.19's Match returns at
// that part, so each part between stars is also checked on its own, as the newer Match does.
func syntaxError(pattern string) error {
	if _, err := filepath.Match(pattern, "."); err != nil {
		return err
	}
	for rest := strings.TrimLeft(pattern, "*"); rest != ""; rest = strings.TrimLeft(rest, "*") {
		end := partEnd(rest)
		if _, err := filepath.Match(rest[:end], ""); err != nil {
			return err
		}
		rest = rest[end:]
	}
	return nil
}

// The end of the part before the next star outside a class, as filepath.Match splits a pattern.
func partEnd(p string) int {
	inClass := false
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			if i+1 < len(p) {
				i++
			}
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '*':
			if !inClass {
				return i
			}
		}
	}
	return len(p)
}

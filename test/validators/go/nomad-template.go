//go:build ignore

// Runs a Nomad template's data as Nomad's client does, for test/validators/nomad-env.test.ts:
// Go's text/template with missingkey=error (error_on_missing_key) and, under consul-template's
// names and argument orders, the functions the generated jobs call: secret, replaceAll and toJSON.
// secret returns {"Data": <what the test gives for that path>}, decoded with UseNumber as Vault's
// API client decodes responses, so a number arrives as json.Number.
//
// Input on stdin: {"template": "...", "secrets": {"<path>": <the secret's Data>}}.
// Output: the rendered text on stdout; an error on stderr and exit 1.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/template"
)

type input struct {
	Template string                     `json:"template"`
	Secrets  map[string]json.RawMessage `json:"secrets"`
}

func main() {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	var in input
	if err := json.Unmarshal(raw, &in); err != nil {
		fail(err)
	}
	funcs := template.FuncMap{
		"secret": func(path string, _ ...string) (map[string]interface{}, error) {
			data, ok := in.Secrets[path]
			if !ok {
				return nil, fmt.Errorf("no secret at %s", path)
			}
			decoder := json.NewDecoder(bytes.NewReader(data))
			decoder.UseNumber()
			var value interface{}
			if err := decoder.Decode(&value); err != nil {
				return nil, err
			}
			return map[string]interface{}{"Data": value}, nil
		},
		"replaceAll": func(f, t, s string) (string, error) { return strings.Replace(s, f, t, -1), nil },
		"toJSON": func(i interface{}) (string, error) {
			result, err := json.Marshal(i)
			return string(bytes.TrimSpace(result)), err
		},
	}
	tmpl, err := template.New("data").Funcs(funcs).Option("missingkey=error").Parse(in.Template)
	if err != nil {
		fail(err)
	}
	if err := tmpl.Execute(os.Stdout, nil); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

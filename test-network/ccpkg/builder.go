package ccpkg

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// The external builder protocol (Fabric docs, "External Builders and
// Launchers"): detect, build and release are run by the peer with folder
// arguments; a non-zero exit refuses.

// Detect accepts a package whose metadata.json says type "ccaas".
func Detect(metadataDir string) (bool, error) {
	data, err := os.ReadFile(filepath.Join(metadataDir, "metadata.json"))
	if err != nil {
		return false, err
	}
	var meta struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return false, fmt.Errorf("metadata.json: %w", err)
	}
	return meta.Type == "ccaas", nil
}

// Build renders the package's connection.json with the peer's builder
// config and writes it to outputDir, with META-INF if the package has one.
func Build(sourceDir, outputDir string, config []byte) error {
	tmpl, err := os.ReadFile(filepath.Join(sourceDir, "connection.json"))
	if err != nil {
		return err
	}
	rendered, err := Render(tmpl, config)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outputDir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(outputDir, "connection.json"), rendered, 0o600); err != nil {
		return err
	}
	return copyTree(filepath.Join(sourceDir, "META-INF"), filepath.Join(outputDir, "META-INF"))
}

// Release places connection.json where the peer looks for a chaincode
// server: RELEASE_OUTPUT_DIR/chaincode/server/connection.json.
func Release(buildDir, releaseDir string) error {
	data, err := os.ReadFile(filepath.Join(buildDir, "connection.json"))
	if err != nil {
		return err
	}
	dir := filepath.Join(releaseDir, "chaincode", "server")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "connection.json"), data, 0o600)
}

var placeholder = regexp.MustCompile(`^\{\{\.([A-Za-z_][A-Za-z0-9_]*)\}\}$`)

// Render replaces each string value "{{.name}}" of the connection template
// with config's string "name". A placeholder without a value is an error,
// so a peer never dials a half-configured server.
func Render(template, config []byte) ([]byte, error) {
	var conn map[string]any
	if err := json.Unmarshal(template, &conn); err != nil {
		return nil, fmt.Errorf("connection.json: %w", err)
	}
	values := map[string]string{}
	if len(config) > 0 {
		if err := json.Unmarshal(config, &values); err != nil {
			return nil, fmt.Errorf("%s: %w", BuilderConfigEnv, err)
		}
	}
	var missing []string
	for key, v := range conn {
		s, ok := v.(string)
		if !ok {
			continue
		}
		m := placeholder.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		val, ok := values[m[1]]
		if !ok {
			missing = append(missing, m[1])
			continue
		}
		conn[key] = val
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s lacks %v needed by connection.json", BuilderConfigEnv, missing)
	}
	return json.MarshalIndent(conn, "", "  ")
}

func copyTree(from, to string) error {
	if _, err := os.Stat(from); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

package ccpkg

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPackageIsByteIdenticalAcrossBuilds(t *testing.T) {
	a, err := Package("likr_1.0")
	require.NoError(t, err)
	b, err := Package("likr_1.0")
	require.NoError(t, err)
	require.Equal(t, a, b)
	require.Equal(t, ID("likr_1.0", a), ID("likr_1.0", b))
	require.Regexp(t, regexp.MustCompile(`^likr_1\.0:[0-9a-f]{64}$`), ID("likr_1.0", a))

	other, err := Package("likr_1.1")
	require.NoError(t, err)
	require.NotEqual(t, ID("likr_1.0", a), ID("likr_1.1", other))
}

func TestPackageLayoutIsWhatThePeerExpects(t *testing.T) {
	pkg, err := Package("likr_1.0")
	require.NoError(t, err)
	outer := untar(t, pkg)
	require.JSONEq(t, `{"type":"ccaas","label":"likr_1.0"}`, string(outer["metadata.json"]))
	inner := untar(t, outer["code.tar.gz"])
	var conn Connection
	require.NoError(t, json.Unmarshal(inner["connection.json"], &conn))
	require.Equal(t, ConnectionTemplate, conn)
}

func TestPackageRefusesBadLabel(t *testing.T) {
	for _, label := range []string{"", "has space", "../x", "_lead"} {
		_, err := Package(label)
		require.Error(t, err, label)
	}
}

func TestRenderFillsEveryPlaceholderAndEscapesPEM(t *testing.T) {
	tmpl, err := json.Marshal(ConnectionTemplate)
	require.NoError(t, err)
	pem := "-----BEGIN CERTIFICATE-----\nMIIB\"x\n-----END CERTIFICATE-----\n"
	cfg, err := json.Marshal(map[string]string{"address": "127.0.0.1:7052", "client_key": "k", "client_cert": pem, "root_cert": "r"})
	require.NoError(t, err)
	out, err := Render(tmpl, cfg)
	require.NoError(t, err)
	var conn Connection
	require.NoError(t, json.Unmarshal(out, &conn))
	require.Equal(t, "127.0.0.1:7052", conn.Address)
	require.Equal(t, pem, conn.ClientCert)
	require.True(t, conn.TLSRequired)
	require.True(t, conn.ClientAuthRequired)
}

func TestRenderRefusesMissingValues(t *testing.T) {
	tmpl, err := json.Marshal(ConnectionTemplate)
	require.NoError(t, err)
	_, err = Render(tmpl, []byte(`{"address":"127.0.0.1:1"}`))
	require.ErrorContains(t, err, "client_cert")
	_, err = Render(tmpl, nil)
	require.ErrorContains(t, err, "address")
}

func TestBuilderStepsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	src, meta, out, rel := filepath.Join(dir, "src"), filepath.Join(dir, "meta"), filepath.Join(dir, "out"), filepath.Join(dir, "rel")
	pkg, err := Package("likr_1.0")
	require.NoError(t, err)
	outer := untar(t, pkg)
	require.NoError(t, os.MkdirAll(src, 0o755))
	require.NoError(t, os.MkdirAll(meta, 0o755))
	for name, data := range untar(t, outer["code.tar.gz"]) {
		require.NoError(t, os.WriteFile(filepath.Join(src, name), data, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(meta, "metadata.json"), outer["metadata.json"], 0o644))

	ok, err := Detect(meta)
	require.NoError(t, err)
	require.True(t, ok)
	cfg := `{"address":"127.0.0.1:9","client_key":"k","client_cert":"c","root_cert":"r"}`
	require.NoError(t, Build(src, out, []byte(cfg)))
	require.NoError(t, Release(out, rel))
	data, err := os.ReadFile(filepath.Join(rel, "chaincode", "server", "connection.json"))
	require.NoError(t, err)
	require.Contains(t, string(data), `"127.0.0.1:9"`)

	require.NoError(t, os.WriteFile(filepath.Join(meta, "metadata.json"), []byte(`{"type":"golang"}`), 0o644))
	ok, err = Detect(meta)
	require.NoError(t, err)
	require.False(t, ok)
}

func untar(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	tr := tar.NewReader(gz)
	files := map[string][]byte{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return files
		}
		require.NoError(t, err)
		body, err := io.ReadAll(tr)
		require.NoError(t, err)
		files[hdr.Name] = body
	}
}

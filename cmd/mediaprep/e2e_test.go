package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mediaprep/mediaprep/preprocess"
	"github.com/mediaprep/mediaprep/upload"
	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

// badFixture matches the fixtures that exist to be refused.
var badFixture = regexp.MustCompile(`(^|/)(bomb|corrupt\.|truncated|empty|broken|xref_offsets|wrong_header|zero_pages|all_empty|enc_user|image\.svg|text\.txt|tiny\.avif)`)

// heic/corrupt-hevc.heic is not among them: its container is intact and
// libheif decodes its damaged slice with concealment, as the vendor's
// decoder would, so no decoder can tell it from a valid file.

// Every fixture in testdata/ goes through Prepare and UploadMedia into the
// fake API, which must accept each payload Prepare returns; Prepare must
// refuse exactly the fixtures that exist to be refused.
func TestEndToEndEveryFixture(t *testing.T) {
	srv := uploadtest.Start(t, nil)
	client, err := srv.Client()
	require.NoError(t, err)
	n := 0
	err = filepath.WalkDir(testdata, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if d != nil && d.IsDir() && (d.Name() == "gen" || d.Name() == "fuzz") {
				return filepath.SkipDir
			}
			return err
		}
		switch filepath.Ext(path) {
		case ".md", ".sh", ".go", ".tsv":
			return nil
		}
		rel, _ := filepath.Rel(testdata, path)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			in, err := os.ReadFile(path)
			require.NoError(t, err)
			p, err := preprocess.PrepareBytes(context.Background(), in, nil)
			if badFixture.MatchString(rel) {
				require.Error(t, err, "a fixture made to be refused was accepted")
				return
			}
			require.NoError(t, err)
			res, err := client.UploadMedia(context.Background(), srv.SessionID, upload.Media{
				Context: contextFor(rel), MIMEType: p.MIMEType, Content: p.Data,
			})
			require.NoError(t, err, "the fake API refused the payload")
			assert.NotEmpty(t, res.ID)
			n++
		})
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, n, len(srv.Media(srv.SessionID)))
	assert.Greater(t, n, 40)
}

func contextFor(name string) string {
	if strings.HasSuffix(name, ".pdf") {
		return "address-front"
	}
	return "document-front"
}

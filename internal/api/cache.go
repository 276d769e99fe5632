package api

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Cache bounds: entries are pruned, oldest first, once the folder passes
// maxCacheBytes, down to pruneToBytes.
const (
	maxCacheBytes = 64 << 20
	pruneToBytes  = 48 << 20
)

// cacheTransport answers GETs conditionally: it stores each 200 answer
// that carries an ETag, sends If-None-Match next time, and serves a 304
// from the stored body. GitHub does not count a 304 against the rate limit.
// Entries are keyed by URL and by a hash of the token, so one user's
// answers never serve another's; the token itself is never stored.
type cacheTransport struct {
	base     http.RoundTripper
	dir      string
	identity string
	// maxBytes and pruneTo are the bounds (tests lower them).
	maxBytes, pruneTo int64

	mu sync.Mutex
	// size is the folder's size as of the latest pruning plus what this
	// process has written since; -1 before the first pruning. The folder is
	// pruned whenever it passes maxBytes, so that a long listing never
	// grows it past the bound.
	size int64
}

// cacheEntry is stored as one line of JSON (ETag and headers) followed by
// the body as it came, so that reading it back costs no decoding of the body.
type cacheEntry struct {
	ETag   string      `json:"etag"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"-"`
}

// cachedHeaders are the headers a 304 does not repeat but callers read.
var cachedHeaders = []string{"Content-Type", "Link", "Etag"}

func newCacheTransport(base http.RoundTripper, dir, token string) *cacheTransport {
	sum := sha256.Sum256([]byte("ghruns token identity\n" + token))
	return &cacheTransport{base: base, dir: dir, identity: hex.EncodeToString(sum[:16]),
		maxBytes: maxCacheBytes, pruneTo: pruneToBytes, size: -1}
}

func (c *cacheTransport) path(req *http.Request) string {
	sum := sha256.Sum256([]byte(c.identity + "\n" + req.URL.String() + "\n" + req.Header.Get("Accept")))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:]))
}

// RoundTrip implements http.RoundTripper.
func (c *cacheTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || req.Header.Get("Range") != "" {
		return c.base.RoundTrip(req)
	}
	path := c.path(req)
	entry := c.load(path)
	if entry != nil {
		req = req.Clone(req.Context())
		req.Header.Set("If-None-Match", entry.ETag)
	}
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && entry != nil:
		resp.Body.Close()
		for _, h := range cachedHeaders {
			if v := entry.Header.Get(h); v != "" && resp.Header.Get(h) == "" {
				resp.Header.Set(h, v)
			}
		}
		resp.Header.Set("X-Ghruns-Cache", "hit")
		resp.StatusCode, resp.Status = http.StatusOK, "200 OK"
		resp.Body = io.NopCloser(bytes.NewReader(entry.Body))
		resp.ContentLength = int64(len(entry.Body))
		return resp, nil
	case resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "" &&
		strings.Contains(resp.Header.Get("Content-Type"), "json"):
		// Stored once the caller has read it whole: the body is not read
		// here, where the caller's stall timer cannot see it.
		resp.Body = &storeAtEOF{ReadCloser: resp.Body, store: func(body []byte) { c.store(path, resp, body) }}
		return resp, nil
	}
	return resp, nil
}

// storeAtEOF keeps a copy of what is read through it and hands it to store
// when the body ends, unless it was larger than a JSON answer may be.
type storeAtEOF struct {
	io.ReadCloser
	buf   bytes.Buffer
	store func([]byte)
	done  bool
}

func (s *storeAtEOF) Read(p []byte) (int, error) {
	n, err := s.ReadCloser.Read(p)
	if !s.done && s.buf.Len()+n <= MaxJSONBytes {
		s.buf.Write(p[:n])
	} else {
		s.done = true
		s.buf = bytes.Buffer{}
	}
	if err == io.EOF && !s.done {
		s.done = true
		s.store(s.buf.Bytes())
	}
	return n, err
}

func (c *cacheTransport) load(path string) *cacheEntry {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	meta, body, ok := bytes.Cut(data, []byte("\n"))
	var e cacheEntry
	if !ok || json.Unmarshal(meta, &e) != nil || e.ETag == "" {
		return nil
	}
	e.Body = body
	return &e
}

// store writes the entry through a temporary file and a rename, so that
// concurrent processes read either the old entry or the new one, whole.
// A cache that cannot be written is no error: the answer is still good.
func (c *cacheTransport) store(path string, resp *http.Response, body []byte) {
	h := http.Header{}
	for _, k := range cachedHeaders {
		if v := resp.Header.Get(k); v != "" {
			h.Set(k, v)
		}
	}
	meta, err := json.Marshal(cacheEntry{ETag: resp.Header.Get("ETag"), Header: h})
	if err != nil || os.MkdirAll(c.dir, 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, ".entry-*")
	if err != nil {
		return
	}
	w := bufio.NewWriter(tmp)
	w.Write(meta)
	w.WriteByte('\n')
	w.Write(body)
	werr := w.Flush()
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.size >= 0 {
		c.size += int64(len(meta) + 1 + len(body))
	}
	if c.size < 0 || c.size > c.maxBytes {
		c.size = c.pruneDir()
	}
}

// pruneDir removes the least recently written entries while the folder is
// over its bound, and returns the size left.
func (c *cacheTransport) pruneDir() int64 {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return 0
	}
	type file struct {
		name string
		size int64
		mod  int64
	}
	var files []file
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		files = append(files, file{e.Name(), info.Size(), info.ModTime().UnixNano()})
		total += info.Size()
	}
	if total <= c.maxBytes {
		return total
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod < files[j].mod })
	for _, f := range files {
		if total <= c.pruneTo {
			break
		}
		if os.Remove(filepath.Join(c.dir, f.name)) == nil {
			total -= f.size
		}
	}
	return total
}

package fakegh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// contract checks requests and responses against GitHub's OpenAPI description plus
// the rules its prose states but its schemas do not.
type contract struct {
	doc        *openapi3.T
	router     routers.Router
	basicError *openapi3.Schema
}

// checkedRequest is a request that passed through the request checks, kept to check
// its response.
type checkedRequest struct {
	in *openapi3filter.RequestValidationInput // nil when the operation is not in the description
}

var loadContract = sync.OnceValues(func() (*contract, error) {
	data, err := fs.ReadFile(apiFiles, specFile)
	if err != nil {
		return nil, err
	}
	return newContract(data)
})

func mustLoadContract() *contract {
	c, err := loadContract()
	if err != nil {
		panic("fakegh: load the OpenAPI description: " + err.Error())
	}
	return c
}

func newContract(data []byte) (*contract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, err
	}
	// Route on paths alone: the fake listens on loopback, not on api.github.com.
	doc.Servers = nil
	params := doc.Components.Parameters
	// GitHub accepts status=startup_failure (gh lists it) though the enum lacks it.
	status := params["workflow-run-status"].Value.Schema.Value
	status.Enum = append(status.Enum, "startup_failure")
	// created is search syntax (">=2026-01-01", "a..b"), not the RFC 3339 date-time
	// its schema claims; checkQuery enforces the syntax instead.
	params["created"].Value.Schema.Value.Format = ""
	// The official 201/202 examples are null, which their empty-object schema
	// rejects, so examples are not validated.
	if err := doc.Validate(loader.Context, openapi3.DisableExamplesValidation()); err != nil {
		return nil, err
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &contract{doc: doc, router: router, basicError: doc.Components.Schemas["basic-error"].Value}, nil
}

// checkHeaders checks the headers every request to GitHub should carry: see
// https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api
// and https://docs.github.com/en/rest/about-the-rest-api/api-versions.
func checkHeaders(r *http.Request) []string {
	var v []string
	if accept := r.Header.Get("Accept"); !slices.ContainsFunc(strings.Split(accept, ","), func(t string) bool {
		mt, _, _ := strings.Cut(strings.TrimSpace(t), ";")
		return strings.EqualFold(strings.TrimSpace(mt), "application/vnd.github+json")
	}) {
		v = append(v, fmt.Sprintf(`header "Accept": %q is not application/vnd.github+json`, accept))
	}
	if ver := r.Header.Get("X-GitHub-Api-Version"); ver != "2022-11-28" {
		v = append(v, fmt.Sprintf(`header "X-GitHub-Api-Version": %q is not 2022-11-28`, ver))
	}
	switch ua := r.Header.Get("User-Agent"); {
	case ua == "":
		v = append(v, `header "User-Agent": missing (GitHub rejects such requests with 403)`)
	case !strings.HasPrefix(ua, "ghruns/"):
		v = append(v, fmt.Sprintf(`header "User-Agent": %q does not start with "ghruns/"`, ua))
	}
	return v
}

// checkRequest validates r against its operation and returns the violations.
func (c *contract) checkRequest(r *http.Request, body []byte, inSpec bool) (*checkedRequest, []string) {
	cr := &checkedRequest{}
	if !inSpec {
		return cr, nil
	}
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(body))
	route, pathParams, err := c.router.FindRoute(req)
	if err != nil {
		return cr, []string{"no operation in GitHub's description matches this request: " + err.Error()}
	}
	cr.in = &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: pathParams,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError:          true,
			SkipSettingDefaults: true,
			AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
		},
	}
	var violations []string
	if err := openapi3filter.ValidateRequest(context.Background(), cr.in); err != nil {
		violations = describe(err)
	}
	violations = append(violations, checkQuery(route.Operation, r.URL.Query())...)
	return cr, violations
}

// checkQuery applies the query rules the description states only in prose, and
// rejects parameters it does not declare (GitHub ignores them; a client sending one
// has a typo).
func checkQuery(op *openapi3.Operation, q url.Values) []string {
	declared := map[string]bool{}
	for _, p := range op.Parameters {
		if p.Value.In == openapi3.ParameterInQuery {
			declared[p.Value.Name] = true
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var v []string
	for _, k := range keys {
		if !declared[k] {
			v = append(v, fmt.Sprintf("query parameter %q: not declared for this operation", k))
		}
	}
	if pp := q.Get("per_page"); pp != "" {
		// "The number of results per page (max 100)"; the schema has no maximum.
		if n, err := strconv.Atoi(pp); err == nil && (n < 1 || n > 100) {
			v = append(v, fmt.Sprintf(`query parameter "per_page": value %d is outside 1..100 (the description says max 100)`, n))
		}
	}
	if cr := q.Get("created"); declared["created"] && cr != "" {
		if _, err := parseCreated(cr); err != nil {
			v = append(v, fmt.Sprintf(`query parameter "created": value %q is not GitHub's search syntax for dates: %v`, cr, err))
		}
	}
	return v
}

// checkResponse validates the response res to the checked request cr.
func (c *contract) checkResponse(cr *checkedRequest, res response) []string {
	var v []string
	if res.status == http.StatusNotModified {
		return nil
	}
	if res.status == http.StatusFound {
		if loc, err := url.Parse(res.header.Get("Location")); err != nil || !loc.IsAbs() {
			v = append(v, fmt.Sprintf("response 302: header Location %q is not an absolute URL", res.header.Get("Location")))
		}
	}
	if link := res.header.Get("Link"); link != "" {
		if msg := checkLink(link); msg != "" {
			v = append(v, "response header Link: "+msg)
		}
	}
	if cr.in == nil {
		return v
	}
	op := cr.in.Route.Operation
	switch {
	case op.Responses.Status(res.status) != nil:
		err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: cr.in,
			Status:                 res.status,
			Header:                 res.header,
			Body:                   io.NopCloser(bytes.NewReader(res.body)),
			Options:                &openapi3filter.Options{MultiError: true},
		})
		if err != nil {
			for _, d := range describe(err) {
				v = append(v, fmt.Sprintf("response %d: %s", res.status, d))
			}
		}
	case res.status >= 400:
		// GitHub sends 401, 404, 422, ... from every operation without declaring them;
		// their bodies are still basic-error.
		var body any
		if err := json.Unmarshal(res.body, &body); err != nil {
			v = append(v, fmt.Sprintf("response %d: body is not JSON: %v", res.status, err))
		} else if err := c.basicError.VisitJSON(body, openapi3.MultiErrors()); err != nil {
			for _, d := range describe(err) {
				v = append(v, fmt.Sprintf("response %d: body does not fit basic-error: %s", res.status, d))
			}
		}
	default:
		codes := slices.Sorted(func(yield func(string) bool) {
			for code := range op.Responses.Map() {
				if !yield(code) {
					return
				}
			}
		})
		v = append(v, fmt.Sprintf("response status %d is not declared for this operation (declared: %s)", res.status, strings.Join(codes, ", ")))
	}
	return v
}

// linkForm is the form of the description's Link example:
// <https://api.github.com/resource?page=2>; rel="next", <…?page=5>; rel="last".
var (
	linkForm = regexp.MustCompile(`^<[^<>]+>; rel="[a-z]+"(, <[^<>]+>; rel="[a-z]+")*$`)
	linkPart = regexp.MustCompile(`<([^<>]+)>; rel="([a-z]+)"`)
)

// checkLink returns what is wrong with a Link header, or "".
func checkLink(link string) string {
	if !linkForm.MatchString(link) {
		return fmt.Sprintf("%q does not have the form <URL>; rel=\"…\", …", link)
	}
	for _, m := range linkPart.FindAllStringSubmatch(link, -1) {
		u, err := url.Parse(m[1])
		switch {
		case !slices.Contains([]string{"next", "prev", "first", "last"}, m[2]):
			return fmt.Sprintf("unknown relation %q", m[2])
		case err != nil || !u.IsAbs():
			return fmt.Sprintf("%q is not an absolute URL", m[1])
		case u.Query().Get("page") == "" || u.Query().Get("per_page") == "":
			return fmt.Sprintf("%q lacks page or per_page", m[1])
		}
	}
	return ""
}

// describe turns kin-openapi's errors into one line each, naming the parameter or
// field and the rule. It looks at each error's own type before unwrapping, so that
// a RequestError wrapping several schema errors keeps its "where" for each.
func describe(err error) []string {
	prefixed := func(where string, inner error, reason string) []string {
		if inner == nil {
			return []string{where + reason}
		}
		var out []string
		for _, d := range describe(inner) {
			out = append(out, where+d)
		}
		return out
	}
	switch e := err.(type) {
	case openapi3.MultiError:
		var out []string
		for _, inner := range e {
			out = append(out, describe(inner)...)
		}
		return out
	case *openapi3filter.RequestError:
		where := "request: "
		switch {
		case e.Parameter != nil:
			where = fmt.Sprintf("%s parameter %q: ", e.Parameter.In, e.Parameter.Name)
		case e.RequestBody != nil:
			where = "request body: "
		}
		return prefixed(where, e.Err, e.Reason)
	case *openapi3filter.ResponseError:
		where := ""
		if e.Reason != "" && e.Err != nil {
			where = e.Reason + ": "
		}
		return prefixed(where, e.Err, e.Reason)
	case *openapi3.SchemaError:
		reason := e.Reason
		if rest, ok := strings.CutPrefix(reason, "value "); ok {
			reason = fmt.Sprintf("value %s %s", jsonText(e.Value), rest)
		}
		if ptr := e.JSONPointer(); len(ptr) > 0 {
			return []string{fmt.Sprintf("field %q: %s", strings.Join(ptr, "/"), reason)}
		}
		return []string{reason}
	case *openapi3filter.ParseError:
		return []string{e.Error()} // "value abc: an invalid integer: invalid syntax"
	}
	if inner := errors.Unwrap(err); inner != nil {
		return describe(inner)
	}
	return []string{err.Error()}
}

package main

import "strings"

// kind says what a JSON value is in an OpenAPI 3.0 document, which decides whether a
// key named "description" is prose to drop or a name to keep.
type kind int

const (
	// kindOpenAPI is an OpenAPI object (operation, schema, parameter, ...): there,
	// description, summary and externalDocs are keywords.
	kindOpenAPI kind = iota
	// kindResponse is a Response Object, whose description is required by OpenAPI 3.0:
	// kin-openapi rejects the document without it, so it is kept.
	kindResponse
	// kindNames is a map from user-chosen names to OpenAPI objects (properties, paths,
	// components.schemas, ...): its keys are never dropped, even one named "description"
	// (minimal-repository has such a property).
	kindNames
	// kindResponses is a map from status codes or names to Response Objects.
	kindResponses
	// kindData is literal data (example values, defaults, enums, extensions): copied untouched.
	kindData
)

// nameMaps are the OpenAPI 3.0 fields whose value, when an object, maps names to objects.
var nameMaps = map[string]bool{
	"properties": true, "patternProperties": true, "paths": true, "schemas": true,
	"parameters": true, "headers": true, "content": true, "examples": true,
	"requestBodies": true, "securitySchemes": true, "links": true, "callbacks": true,
	"variables": true, "encoding": true, "mapping": true,
}

// dataFields are the fields whose value is literal JSON, not OpenAPI.
var dataFields = map[string]bool{
	"example": true, "default": true, "enum": true, "const": true, "value": true,
}

// strip returns v without prose, given what kind of value v is.
func strip(v any, k kind) any {
	if k == kindData {
		return v
	}
	switch v := v.(type) {
	case object:
		out := make(object, 0, len(v))
		for _, m := range v {
			switch k {
			case kindNames:
				out = append(out, member{m.key, strip(m.val, kindOpenAPI)})
				continue
			case kindResponses:
				out = append(out, member{m.key, strip(m.val, kindResponse)})
				continue
			}
			if dropped(m, k) {
				continue
			}
			out = append(out, member{m.key, strip(m.val, fieldKind(m))})
		}
		return out
	case []any:
		// Arrays in OpenAPI positions hold objects (parameters, allOf, tags, ...) or
		// plain strings (required); data arrays never get here.
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = strip(e, kindOpenAPI)
		}
		return out
	default:
		return v
	}
}

// dropped reports whether member m of an OpenAPI object of kind k is prose.
func dropped(m member, k kind) bool {
	switch m.key {
	case "description":
		_, isString := m.val.(string)
		return isString && k != kindResponse
	case "summary":
		_, isString := m.val.(string)
		return isString
	case "externalDocs":
		_, isObject := m.val.(object)
		return isObject
	}
	return false
}

// fieldKind says what kind of value the field m of an OpenAPI object holds.
func fieldKind(m member) kind {
	switch {
	case strings.HasPrefix(m.key, "x-"), dataFields[m.key]:
		return kindData
	case m.key == "responses":
		if _, isObject := m.val.(object); isObject {
			return kindResponses
		}
	case nameMaps[m.key]:
		// parameters is a name map in components but a list in operations; 3.1 schemas
		// use examples as a list of data.
		if _, isObject := m.val.(object); isObject {
			return kindNames
		}
		if m.key == "examples" {
			return kindData
		}
	}
	return kindOpenAPI
}

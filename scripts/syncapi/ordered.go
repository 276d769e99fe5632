package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// object is a decoded JSON object that keeps its key order, so that the copy reads
// like the original and diffs against it stay small.
type object []member

// member is one key and value of an object.
type member struct {
	key string
	val any
}

func (o object) get(key string) any {
	for _, m := range o {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

func (o object) set(key string, val any) {
	for i := range o {
		if o[i].key == key {
			o[i].val = val
			return
		}
	}
}

// with returns o with key set to val, appended when absent.
func (o object) with(key string, val any) object {
	for i := range o {
		if o[i].key == key {
			o[i].val = val
			return o
		}
	}
	return append(o, member{key, val})
}

// decode parses one JSON value, keeping object key order and numbers as written.
func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the top-level value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		obj := object{}
		for dec.More() {
			keyTok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			val, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, member{keyTok.(string), val})
		}
		_, err := dec.Token() // the closing brace
		return obj, err
	case json.Delim('['):
		arr := []any{}
		for dec.More() {
			val, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, val)
		}
		_, err := dec.Token() // the closing bracket
		return arr, err
	}
	return tok, nil
}

// encode writes v indented by two spaces, the layout of the shared files
// (JSON.stringify(v, null, 2)), without escaping <, > and & as encoding/json does.
func encode(buf *bytes.Buffer, v any, indent string) error {
	switch v := v.(type) {
	case object:
		if len(v) == 0 {
			buf.WriteString("{}")
			return nil
		}
		buf.WriteString("{\n")
		for i, m := range v {
			buf.WriteString(indent + "  ")
			if err := encodeString(buf, m.key); err != nil {
				return err
			}
			buf.WriteString(": ")
			if err := encode(buf, m.val, indent+"  "); err != nil {
				return err
			}
			if i < len(v)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "}")
	case []any:
		if len(v) == 0 {
			buf.WriteString("[]")
			return nil
		}
		buf.WriteString("[\n")
		for i, e := range v {
			buf.WriteString(indent + "  ")
			if err := encode(buf, e, indent+"  "); err != nil {
				return err
			}
			if i < len(v)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "]")
	case string:
		return encodeString(buf, v)
	case json.Number:
		buf.WriteString(v.String())
	case bool:
		fmt.Fprint(buf, v)
	case nil:
		buf.WriteString("null")
	default:
		return fmt.Errorf("unexpected JSON value of type %T", v)
	}
	return nil
}

func encodeString(buf *bytes.Buffer, s string) error {
	var tmp bytes.Buffer
	enc := json.NewEncoder(&tmp)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return err
	}
	buf.WriteString(strings.TrimSuffix(tmp.String(), "\n"))
	return nil
}

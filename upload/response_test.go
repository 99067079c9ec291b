package upload

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeMediaResponse(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    MediaResponse
		wantErr bool
	}{
		{"documented", `{"status":"success","image":{"id":"d69a07cf-4434-4d36-be6c-d22af7dc01fb","name":"document-front","context":"document-front","timestamp":null,"size":245678,"mimetype":"image/jpeg","url":"https://exampleURL.com/v1/media/d69a07cf-4434-4d36-be6c-d22af7dc01fb","sessionId":"f04bdb47-d3be-4b28-b028-a652feb060b5"}}`,
			MediaResponse{Status: "success", ID: "d69a07cf-4434-4d36-be6c-d22af7dc01fb", Name: "document-front", Context: "document-front", Size: 245678, MIMEType: "image/jpeg", URL: "https://exampleURL.com/v1/media/d69a07cf-4434-4d36-be6c-d22af7dc01fb", SessionID: "f04bdb47-d3be-4b28-b028-a652feb060b5"}, false},
		{"reordered, unknown fields, float size", `{"image":{"extra":{"a":[1,2]},"size":12345.0,"id":"m1","sessionId":"s"},"new":true,"status":"success"}`,
			MediaResponse{Status: "success", ID: "m1", Size: 12345, SessionID: "s"}, false},
		{"no size", `{"status":"success","image":{"id":"m1"}}`, MediaResponse{Status: "success", ID: "m1"}, false},
		{"fail status", `{"status":"fail","code":"1101"}`, MediaResponse{}, true},
		{"no image", `{"status":"success"}`, MediaResponse{}, true},
		{"no id", `{"status":"success","image":{"size":1}}`, MediaResponse{}, true},
		{"fractional size", `{"status":"success","image":{"id":"m","size":1.5}}`, MediaResponse{}, true},
		{"negative size", `{"status":"success","image":{"id":"m","size":-1}}`, MediaResponse{}, true},
		{"numeric string size", `{"status":"success","image":{"id":"m","size":"12"}}`, MediaResponse{Status: "success", ID: "m", Size: 12}, false},
		{"non-numeric string size", `{"status":"success","image":{"id":"m","size":"big"}}`, MediaResponse{}, true},
		{"not JSON", `<html>`, MediaResponse{}, true},
		{"truncated", `{"status":"success","image":{"id":"m`, MediaResponse{}, true},
		{"empty", ``, MediaResponse{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeMediaResponse([]byte(tt.raw))
			if tt.wantErr {
				if !errors.Is(err, ErrBadResponse) {
					t.Fatalf("err = %v, want ErrBadResponse", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *got != tt.want {
				t.Fatalf("got %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestDecodeAPIError(t *testing.T) {
	tests := []struct {
		name, raw, code, msg string
	}{
		{"string code", `{"status":"fail","code":"1102","message":"Mandatory parameters are missing from the request."}`, "1102", "Mandatory parameters are missing from the request."},
		{"number code", `{"message":"Validation failed","code":1101,"status":"fail"}`, "1101", "Validation failed"},
		{"object code ignored", `{"code":{"x":1},"message":"m"}`, "", "m"},
		{"text body", "Bad Gateway\n", "", "Bad Gateway"},
		{"html body dropped", "<html><body>502</body></html>", "", ""},
		{"control chars stripped", `{"code":"1\u0000\n2","message":"a\u001bb"}`, "12", "ab"},
		{"empty", ``, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &APIError{StatusCode: 400}
			decodeAPIError(e, []byte(tt.raw))
			if e.Code != tt.code || e.Message != tt.msg {
				t.Fatalf("code, message = %q, %q; want %q, %q", e.Code, e.Message, tt.code, tt.msg)
			}
		})
	}
	e := &APIError{}
	decodeAPIError(e, []byte(`{"message":"`+strings.Repeat("é", 1000)+`"}`))
	if len(e.Message) > 512+len("…") || !utf8.ValidString(e.Message) {
		t.Fatalf("long message not clipped to valid UTF-8: %d bytes", len(e.Message))
	}
}

// FuzzDecodeResponse feeds arbitrary bytes to the response decoders: they
// must never panic, must fail with ErrBadResponse or return a response with
// an id, and must keep error text bounded.
func FuzzDecodeResponse(f *testing.F) {
	f.Add([]byte(`{"status":"success","image":{"id":"d69a07cf-4434-4d36-be6c-d22af7dc01fb","name":"document-front","context":"document-front","timestamp":null,"size":245678,"mimetype":"image/jpeg","url":"https://x/v1/media/d","sessionId":"f04bdb47-d3be-4b28-b028-a652feb060b5"}}`))
	f.Add([]byte(`{"status":"fail","code":1101,"message":"Validation failed"}`))
	f.Add([]byte(`{"status":"success","verification":{"id":"x","status":"submitted"}}`))
	f.Add([]byte(`{"status":"success","image":{"id":"m","size":1e308}}`))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > MaxResponseBytes {
			return
		}
		if r, err := decodeMediaResponse(raw); err != nil {
			if !errors.Is(err, ErrBadResponse) {
				t.Fatalf("error %v does not match ErrBadResponse", err)
			}
		} else if r.ID == "" || r.Status != "success" || r.Size < 0 {
			t.Fatalf("accepted a response without id/status or with negative size: %+v", r)
		}
		if _, err := decodeSubmitResponse(raw); err != nil && !errors.Is(err, ErrBadResponse) {
			t.Fatalf("error %v does not match ErrBadResponse", err)
		}
		e := &APIError{StatusCode: 500, Method: "POST", Path: "/v1/x"}
		decodeAPIError(e, raw)
		if len(e.Code) > 520 || len(e.Message) > 520 || !utf8.ValidString(e.Error()) {
			t.Fatalf("unbounded or invalid error text: %q", e.Error())
		}
	})
}

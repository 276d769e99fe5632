// Package fakegh is an in-process fake of the GitHub Actions workflow-runs REST API,
// for tests of ghruns.
//
// A Server answers on two loopback hosts: the API host (URL) and the host that serves
// log archives (LogURL), which the API's log endpoints redirect to with a short-lived
// signed URL, as GitHub does. Its bodies are GitHub's official example bodies with the
// fake's state written over them, and every request and response is checked against
// GitHub's official OpenAPI description (github/rest-api-description, the part for
// these endpoints, embedded from testdata/github-api). Contract violations and
// requests the fake does not serve are reported through a Reporter, so a test that
// talks to GitHub wrongly fails even when its own assertions pass.
//
// Where GitHub's behaviour is not documented, the fake's choice is written next to the
// code that makes it.
package fakegh

package uploadtest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"testing"
)

func TestFaultPlanValidate(t *testing.T) {
	one := []Fault{{Status: 503}}
	tests := []struct {
		name string
		plan *FaultPlan
		ok   bool
	}{
		{"nil", nil, true},
		{"zero", &FaultPlan{}, true},
		{"rate 0 without faults", &FaultPlan{Rate: 0}, true},
		{"rate 1", &FaultPlan{Rate: 1, Faults: one}, true},
		{"rate 0.2", &FaultPlan{Rate: 0.2, Faults: one, Seed: 7}, true},
		{"negative rate", &FaultPlan{Rate: -0.1, Faults: one}, false},
		{"rate above 1", &FaultPlan{Rate: 1.01, Faults: one}, false},
		{"NaN rate", &FaultPlan{Rate: math.NaN(), Faults: one}, false},
		{"rate without faults", &FaultPlan{Rate: 0.5}, false},
	}
	s := Start(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.SetFaultPlan(tt.plan)
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalidFaultPlan)) {
				t.Fatalf("SetFaultPlan: %v, want ok=%v", err, tt.ok)
			}
			defer func() {
				r := recover()
				err, _ := r.(error)
				if (r == nil) != tt.ok || (r != nil && !errors.Is(err, ErrInvalidFaultPlan)) {
					t.Fatalf("NewServer panicked with %v, want ok=%v", r, tt.ok)
				}
			}()
			NewServer(&Options{Faults: tt.plan}).Close()
		})
	}
}

func shaHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestFaultPlanDraw: the draws hit the rate, spread over the faults, and
// depend on the seed, the body and the repeat count only.
func TestFaultPlanDraw(t *testing.T) {
	faults := []Fault{{Status: 500}, {Status: 502}, {Reset: true}, {Truncate: true}}
	p := &FaultPlan{Rate: 0.2, Faults: faults, Seed: 42}
	const n = 20000
	hits := map[string]int{}
	total := 0
	for i := range n {
		sha := shaHex(fmt.Sprint(i))
		f, ok := p.draw(sha, 1)
		if f2, ok2 := p.draw(sha, 1); ok2 != ok || f2 != f {
			t.Fatal("draw is not a function of its inputs")
		}
		if ok {
			total++
			hits[f.String()]++
		}
	}
	if got := float64(total) / n; math.Abs(got-0.2) > 0.015 {
		t.Fatalf("fault rate %.4f, want 0.2 ± 0.015", got)
	}
	for _, f := range faults {
		if share := float64(hits[f.String()]) / float64(total); math.Abs(share-0.25) > 0.03 {
			t.Fatalf("fault %q drawn %.3f of the time, want 0.25 ± 0.03 (%v)", f, share, hits)
		}
	}
	// Another seed, or another repeat of the same body, draws independently:
	// the outcomes must differ somewhere (they agree on ~68% of bodies).
	other := &FaultPlan{Rate: 0.2, Faults: faults, Seed: 43}
	var sameSeed, sameRepeat int
	for i := range 1000 {
		sha := shaHex(fmt.Sprint(i))
		a, aok := p.draw(sha, 1)
		if b, bok := other.draw(sha, 1); a == b && aok == bok {
			sameSeed++
		}
		if b, bok := p.draw(sha, 2); a == b && aok == bok {
			sameRepeat++
		}
	}
	if sameSeed > 800 || sameRepeat > 800 {
		t.Fatalf("draws agree on %d/1000 bodies across seeds, %d/1000 across repeats: not independent", sameSeed, sameRepeat)
	}
	if f, ok := (&FaultPlan{Rate: 0, Faults: faults}).draw(shaHex("x"), 1); ok {
		t.Fatalf("rate 0 drew %v", f)
	}
	if _, ok := (&FaultPlan{Rate: 1, Faults: faults}).draw(shaHex("x"), 1); !ok {
		t.Fatal("rate 1 drew nothing")
	}
}

// TestFaultPlanOrderIndependent: two servers with the same plan inflict the
// same faults on the same bodies when they arrive in opposite orders, and
// queued faults come first.
func TestFaultPlanOrderIndependent(t *testing.T) {
	plan := &FaultPlan{Rate: 0.5, Faults: []Fault{{Status: 500}, {Status: 502}, {Status: 503}}, Seed: 9}
	bodies := make([][]byte, 40)
	for i := range bodies {
		bodies[i] = []byte(fmt.Sprintf(`{"verification":{"status":"submitted"},"n":%d}`, i))
	}
	faultsBy := func(order []int) map[int][2]string {
		s := Start(t, &Options{Faults: plan})
		path := "/v1/sessions/" + s.NewSession()
		for _, i := range order {
			send(t, s, http.MethodPatch, path, s.APIKey, "", bodies[i])
			send(t, s, http.MethodPatch, path, s.APIKey, "", bodies[i])
		}
		got := map[int][2]string{}
		byBody := map[string]int{}
		for i, b := range bodies {
			byBody[shaHex(string(b))] = i
		}
		for _, r := range s.Requests() {
			i := byBody[r.BodySHA256]
			g := got[i]
			g[r.Repeat-1] = r.Fault
			got[i] = g
		}
		return got
	}
	fwd, rev := make([]int, len(bodies)), make([]int, len(bodies))
	for i := range bodies {
		fwd[i], rev[len(bodies)-1-i] = i, i
	}
	a, b := faultsBy(fwd), faultsBy(rev)
	faulted := 0
	for i := range bodies {
		if a[i] != b[i] {
			t.Fatalf("body %d: faults %q in one order, %q in the other", i, a[i], b[i])
		}
		for _, f := range a[i] {
			if f != "" {
				faulted++
			}
		}
	}
	if faulted == 0 || faulted == 2*len(bodies) {
		t.Fatalf("%d of %d requests faulted at rate 0.5", faulted, 2*len(bodies))
	}

	s := Start(t, &Options{Faults: &FaultPlan{Rate: 1, Faults: []Fault{{Status: 500}}}})
	s.Inject(Fault{Status: 429}, 1)
	path := "/v1/sessions/" + s.SessionID
	if a := send(t, s, http.MethodPatch, path, s.APIKey, "", bodies[0]); a.status != 429 {
		t.Fatalf("first answer %d, want the queued 429", a.status)
	}
	if a := send(t, s, http.MethodPatch, path, s.APIKey, "", bodies[0]); a.status != 500 {
		t.Fatalf("second answer %d, want the plan's 500", a.status)
	}
	if err := s.SetFaultPlan(nil); err != nil {
		t.Fatal(err)
	}
	if a := send(t, s, http.MethodPatch, path, s.APIKey, "", bodies[0]); a.status != 200 {
		t.Fatalf("answer %d after removing the plan, want 200", a.status)
	}
	reqs := s.Requests()
	for i, r := range reqs {
		if r.Repeat != i+1 || !r.SignatureOK {
			t.Fatalf("request %d: Repeat %d, SignatureOK %v", i, r.Repeat, r.SignatureOK)
		}
	}
	send(t, s, http.MethodPatch, path, s.APIKey, "0000000000000000000000000000000000000000000000000000000000000000", bodies[1])
	if r := s.Requests()[len(reqs)]; r.SignatureOK || r.Repeat != 1 {
		t.Fatalf("wrongly signed request recorded as %+v", r)
	}
}

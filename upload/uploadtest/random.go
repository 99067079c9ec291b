package uploadtest

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// ErrInvalidFaultPlan is returned by SetFaultPlan (and NewServer panics with
// it) when a FaultPlan's Rate is outside [0, 1] or it has a positive Rate and
// no Faults.
var ErrInvalidFaultPlan = errors.New("uploadtest: invalid fault plan")

// FaultPlan injects faults at random into a fraction of requests, for soak
// tests; the zero FaultPlan injects nothing. Faults queued with Inject take
// precedence; the plan draws only for requests that find the queue empty.
// A draw costs one hex decode and a PCG seeding, next to nothing.
//
// The draw for a request depends only on Seed, the SHA-256 of the request
// body and how many requests with that body the server received before
// (Request.Repeat), never on arrival order. So uploads of distinct content
// meet the same faults on every run, however concurrent requests
// interleave, and the retries of one upload meet independent draws.
type FaultPlan struct {
	// Rate is the fraction of requests that suffer a fault, in [0, 1].
	Rate float64
	// Faults are the faults to draw from, each equally likely. Repeat a
	// Fault to weight it.
	Faults []Fault
	// Seed selects the sequence of draws.
	Seed uint64
}

func (p *FaultPlan) validate() error {
	if p == nil {
		return nil
	}
	if math.IsNaN(p.Rate) || p.Rate < 0 || p.Rate > 1 {
		return fmt.Errorf("%w: rate %v outside [0, 1]", ErrInvalidFaultPlan, p.Rate)
	}
	if p.Rate > 0 && len(p.Faults) == 0 {
		return fmt.Errorf("%w: rate %v with no faults to draw", ErrInvalidFaultPlan, p.Rate)
	}
	return nil
}

// draw returns the fault for the repeat-th request (1-based) whose body has
// the hex SHA-256 bodySHA, and whether there is one. It is a pure function.
func (p *FaultPlan) draw(bodySHA string, repeat int) (Fault, bool) {
	if p == nil || p.Rate == 0 {
		return Fault{}, false
	}
	var key uint64
	if b, err := hex.DecodeString(bodySHA); err == nil && len(b) >= 8 {
		key = binary.BigEndian.Uint64(b)
	}
	r := rand.New(rand.NewPCG(p.Seed, key^uint64(repeat)*0x9e3779b97f4a7c15))
	if r.Float64() >= p.Rate {
		return Fault{}, false
	}
	return p.Faults[r.IntN(len(p.Faults))], true
}

// SetFaultPlan replaces the random fault plan (Options.Faults); nil stops
// random faults. The plan is copied. It returns an error matching
// ErrInvalidFaultPlan, and changes nothing, when the plan is invalid. Safe
// to call while requests are served.
func (s *Server) SetFaultPlan(p *FaultPlan) error {
	if err := p.validate(); err != nil {
		return err
	}
	var cp *FaultPlan
	if p != nil {
		cp = &FaultPlan{Rate: p.Rate, Faults: append([]Fault(nil), p.Faults...), Seed: p.Seed}
	}
	s.mu.Lock()
	s.plan = cp
	s.mu.Unlock()
	return nil
}

// pickFault returns the fault for a request: the next queued one, else the
// plan's draw. It also counts the body (for Request.Repeat) and returns the
// count.
func (s *Server) pickFault(bodySHA string) (f Fault, ok bool, repeat int) {
	s.mu.Lock()
	s.seen[bodySHA]++
	repeat = s.seen[bodySHA]
	plan := s.plan
	if len(s.faults) > 0 {
		f = s.faults[0]
		s.faults = s.faults[1:]
		s.mu.Unlock()
		return f, true, repeat
	}
	s.mu.Unlock()
	f, ok = plan.draw(bodySHA, repeat)
	return f, ok, repeat
}

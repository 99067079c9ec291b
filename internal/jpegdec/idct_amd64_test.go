//go:build !purego

package jpegdec

import (
	"reflect"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestAVX2KernelsSelected checks that reconstruct uses the assembly
// kernels exactly when the CPU has AVX2, and that the differential tests
// see them.
func TestAVX2KernelsSelected(t *testing.T) {
	ptr := func(k blockKernel) uintptr { return reflect.ValueOf(k).Pointer() }
	for _, tc := range []struct {
		name          string
		used          blockKernel
		avx2, generic blockKernel
		listed        []namedKernel
	}{
		{"idct8", idct8Store, idct8StoreAVX2, idct8StoreGo, idct8Kernels},
		{"idct4", idct4Store, idct4StoreAVX2, idct4StoreGo, idct4Kernels},
		{"idct2", idct2Store, idct2StoreAVX2, idct2StoreGo, idct2Kernels},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, n := tc.generic, 1
			if cpu.X86.HasAVX2 {
				want, n = tc.avx2, 2
			}
			if ptr(tc.used) != ptr(want) {
				t.Errorf("HasAVX2=%v but the other kernel is selected", cpu.X86.HasAVX2)
			}
			if len(tc.listed) != n || ptr(tc.listed[n-1].fn) != ptr(want) {
				t.Errorf("kernel list %v does not end with the selected kernel", tc.listed)
			}
		})
	}
	if !cpu.X86.HasAVX2 {
		t.Log("no AVX2: only the portable kernels were tested")
	}
}

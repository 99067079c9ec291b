package jpegdec

import (
	"image"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Decoding into a reused Options.Buf gives the same pixels as a fresh
// decode, aliases the buffer, and Backing hands the buffer back.
func TestDecodeIntoBuf(t *testing.T) {
	for _, name := range []string{"mid_200x150_420.jpg", "q95_444.jpg", "q90_gray.jpg", "odd_37x23_422.jpg"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + name)
			require.NoError(t, err)
			for _, scale := range []int{1, 2} {
				fresh, err := Decode(b, &Options{Scale: scale})
				require.NoError(t, err)
				buf := Backing(fresh)
				require.NotNil(t, buf, "Backing of a decoded image")

				dirty := make([]byte, cap(buf)+100)
				for i := range dirty {
					dirty[i] = 0xA5 // the planes must be fully overwritten
				}
				again, err := Decode(b, &Options{Scale: scale, Buf: dirty})
				require.NoError(t, err)
				assert.Equal(t, fresh, again)
				back := Backing(again)
				assert.Same(t, &dirty[0], &back[0], "decoded into Buf")

				small, err := Decode(b, &Options{Scale: scale, Buf: make([]byte, 10)})
				require.NoError(t, err)
				assert.Equal(t, fresh, small, "a too-small Buf is ignored")
			}
		})
	}
	assert.Nil(t, Backing(image.NewYCbCr(image.Rect(0, 0, 8, 8), image.YCbCrSubsampleRatio420)), "image.NewYCbCr is not ours")
}

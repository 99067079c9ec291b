package exif

import "strconv"

// Orientation is the value of the EXIF Orientation tag: how the stored
// pixels must be transformed to show the picture upright. Values 1..8 are
// valid; 1 ([Identity]) means the stored pixels are already upright. The
// zero value is not a valid orientation; functions of this package never
// return it.
type Orientation uint8

// The eight orientations, named for the transform a viewer applies to the
// stored pixels to display them upright. The comment gives the EXIF name
// (where the stored first row and first column end up).
const (
	Identity         Orientation = 1 // top-left: nothing to do
	MirrorHorizontal Orientation = 2 // top-right: flip left-right
	Rotate180        Orientation = 3 // bottom-right: rotate 180°
	MirrorVertical   Orientation = 4 // bottom-left: flip top-bottom
	Transpose        Orientation = 5 // left-top: mirror across the main diagonal
	Rotate90         Orientation = 6 // right-top: rotate 90° clockwise
	Transverse       Orientation = 7 // right-bottom: mirror across the anti-diagonal
	Rotate270        Orientation = 8 // left-bottom: rotate 90° counter-clockwise
)

var names = [...]string{
	Identity:         "identity",
	MirrorHorizontal: "mirror-horizontal",
	Rotate180:        "rotate-180",
	MirrorVertical:   "mirror-vertical",
	Transpose:        "transpose",
	Rotate90:         "rotate-90-cw",
	Transverse:       "transverse",
	Rotate270:        "rotate-270-cw",
}

// Valid reports whether o is one of the eight defined orientations.
func (o Orientation) Valid() bool { return o >= 1 && o <= 8 }

// String returns a short name of the transform ("identity",
// "rotate-90-cw", ...) or "Orientation(n)" for invalid values.
func (o Orientation) String() string {
	if o.Valid() {
		return names[o]
	}
	return "Orientation(" + strconv.Itoa(int(o)) + ")"
}

// SwapsAxes reports whether displaying the picture swaps its width and
// height (orientations 5..8): a stored W x H image is shown as H x W.
func (o Orientation) SwapsAxes() bool { return o >= 5 && o <= 8 }

// DisplaySize returns the size of the upright picture for stored pixels
// of size w x h.
func (o Orientation) DisplaySize(w, h int) (dw, dh int) {
	if o.SwapsAxes() {
		return h, w
	}
	return w, h
}

// StoredPoint maps the pixel (x, y) of the upright picture, whose size is
// w x h (the size after orientation, see [Orientation.DisplaySize]), to
// the stored pixel shown there. Invalid orientations map like [Identity].
// It is the per-pixel form of the transform, for resamplers that read the
// stored image rotated instead of rotating a copy.
func (o Orientation) StoredPoint(x, y, w, h int) (sx, sy int) {
	switch o {
	case MirrorHorizontal:
		return w - 1 - x, y
	case Rotate180:
		return w - 1 - x, h - 1 - y
	case MirrorVertical:
		return x, h - 1 - y
	case Transpose:
		return y, x
	case Rotate90:
		return y, w - 1 - x
	case Transverse:
		return h - 1 - y, w - 1 - x
	case Rotate270:
		return h - 1 - y, x
	}
	return x, y
}

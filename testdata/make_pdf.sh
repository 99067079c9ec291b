#!/usr/bin/env bash
# Regenerates the PDF fixtures in testdata/pdf (package pdf). Needs python3,
# qpdf, img2pdf and ImageMagick's convert. Run from anywhere:
#   bash testdata/make_pdf.sh
# Every file is generated content; see testdata/README.md (section pdf/) for what each is.
set -euo pipefail
cd "$(dirname "$0")/pdf"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A tiny JPEG (48x32 gradient) used as an image XObject on page 6 of kinds.pdf.
convert -size 48x32 gradient:navy-orange -strip -quality 80 "$tmp/tiny.jpg"

# kinds.pdf: 13 labelled pages, one per kind of empty / non-empty page.
# Each page's first content stream starts with the comment "%mp-label:pNN" so a
# test can read back which original pages were kept (page 2 has no content).
python3 - "$tmp/tiny.jpg" "$tmp/kinds_raw.pdf" <<'PY'
import sys
jpg = open(sys.argv[1], 'rb').read()
objs = {}      # number -> bytes
def stream(d, data):
    return b'<< ' + d + b' /Length %d >>\nstream\n' % len(data) + data + b'\nendstream'
def content(n, body):
    return stream(b'', b'%%mp-label:p%02d\n' % n + body)
font = 3
objs[font] = b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
img = 4
objs[img] = stream(b'/Type /XObject /Subtype /Image /Width 48 /Height 32 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode', jpg)
emptyform = 5
objs[emptyform] = stream(b'/Type /XObject /Subtype /Form /BBox [0 0 100 100]', b'q Q % (x) Tj\n')
innerform = 6
objs[innerform] = stream(b'/Type /XObject /Subtype /Form /BBox [0 0 100 100]', b'0 0 1 rg 10 10 50 50 re f\n')
outerform = 7
objs[outerform] = stream(b'/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /Fi 6 0 R >> >>', b'q /Fi Do Q\n')
apstream = 8
objs[apstream] = stream(b'/Type /XObject /Subtype /Form /BBox [0 0 100 100]', b'1 0 0 RG 2 w 5 5 90 90 re S\n')
sqannot = 9
objs[sqannot] = b'<< /Type /Annot /Subtype /Square /Rect [100 100 200 200] /F 4 /C [1 0 0] /AP << /N 8 0 R >> >>'
linkannot = 10
objs[linkannot] = b'<< /Type /Annot /Subtype /Link /Rect [100 100 200 200] /Border [0 0 0] /A << /S /URI /URI (https://example.invalid/) >> >>'
res = b'/Resources << /Font << /F1 3 0 R >> /XObject << /Im0 4 0 R /Fe 5 0 R /Fo 7 0 R >> >>'

pages = []  # (extra dict entries, list of content bodies or None)
T = lambda s: b'BT /F1 24 Tf 72 720 Td (' + s + b') Tj ET\n'
pages.append((b'', [T(b'p01 text only')]))                                     # 1 text
pages.append((b'', None))                                                      # 2 no /Contents
pages.append((b'', [b'q\n  \r\n', b'Q\n']))                                    # 3 q Q split over two streams
pages.append((b'', [b'0 0 1 RG 4 w 72 72 m 500 700 l S\n']))                   # 4 vector only
pages.append((b'', [b'% 1 0 0 RG 0 0 m 10 10 l S (x) Tj\nq 0 0 100 100 re W n Q /Artifact BMC EMC\n'])) # 5 clip + comment
pages.append((b'', [b'q 480 0 0 320 60 300 cm /Im0 Do Q\n']))                 # 6 image XObject only
pages.append((b'', [b'q /Fe Do Q\n']))                                         # 7 empty Form XObject
pages.append((b'/Annots [9 0 R]', [b'\n']))                                    # 8 annotation with appearance
pages.append((b'/Annots [10 0 R]', [b'q Q\n']))                                # 9 link annotation, no appearance
pages.append((b'', [b'/Fo Do\n']))                                             # 10 nested Form that fills a rect
pages.append((b'', [b'BT 3 Tr /F1 24 Tf 72 720 Td (p11 invisible \\) Tj) Tj ET\n'])) # 11 invisible text (Tr 3)
pages.append((b'', [b'q 100 0 0 100 72 400 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xffEI\x80 EI Q\n'])) # 12 inline image
pages.append((b'', [T(b'p13 text only')]))                                     # 13 text, 6th non-empty

n = 20
kids = []
for i, (extra, bodies) in enumerate(pages, start=1):
    pn = n; n += 1
    kids.append(pn)
    entries = b'/Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ' + extra
    if bodies is not None:
        refs = []
        for j, b in enumerate(bodies):
            cn = n; n += 1
            objs[cn] = content(i, b) if j == 0 else stream(b'', b)
            refs.append(cn)
        if len(refs) == 1:
            entries += b' /Contents %d 0 R' % refs[0]
        else:
            entries += b' /Contents [' + b' '.join(b'%d 0 R' % r for r in refs) + b']'
    objs[pn] = b'<< ' + entries + b' >>'
objs[2] = b'<< /Type /Pages /Count %d /Kids [' % len(kids) + b' '.join(b'%d 0 R' % k for k in kids) + b'] ' + res + b' >>'
objs[1] = b'<< /Type /Catalog /Pages 2 0 R >>'
out = bytearray(b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')
for k in sorted(objs):
    out += b'%d 0 obj\n' % k + objs[k] + b'\nendobj\n'
out += b'trailer\n<< /Root 1 0 R /Size %d >>\n%%%%EOF\n' % (max(objs) + 1)
open(sys.argv[2], 'wb').write(out)
PY
# qpdf rebuilds the (deliberately missing) xref table; exit status 3 = warnings only.
qpdf --object-streams=disable --compress-streams=n "$tmp/kinds_raw.pdf" kinds.pdf || [ $? -eq 3 ]

# zero_pages.pdf: a page tree with no pages.
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Count 0 /Kids [] >>\nendobj\ntrailer\n<< /Root 1 0 R /Size 3 >>\n%%%%EOF\n' > "$tmp/zero_raw.pdf"
qpdf "$tmp/zero_raw.pdf" zero_pages.pdf || [ $? -eq 3 ]

# all_empty.pdf: pages 2, 3 and 5 of kinds.pdf (no contents, q Q, clip only).
qpdf --empty --pages kinds.pdf 2,3,5 -- all_empty.pdf

# encrypted: AES-256, empty user password (opens without one) and with user password "user".
qpdf --encrypt "" owner 256 -- kinds.pdf enc_nouser.pdf
qpdf --encrypt user owner 256 -- kinds.pdf enc_user.pdf
qpdf --allow-weak-crypto --encrypt "" owner 128 --use-aes=n -- kinds.pdf enc_rc4_nouser.pdf

# scan.pdf: img2pdf wrapping of a 2400x300 noisy "scan" strip (JPEG, DCT passthrough),
# a 2000x200 16-bit RGB PNG and a 2100x100 8-bit grey PNG (Flate with PNG predictors);
# all longer than 1920 px.
convert -size 2400x300 gradient:white-gray70 -attenuate 0.4 +noise Gaussian -strip -quality 60 "$tmp/strip.jpg"
convert -size 2000x200 gradient:white-navy -strip "$tmp/strip.png"
convert -size 2100x100 gradient:white-black -colorspace Gray -depth 8 -strip "$tmp/grey.png"
img2pdf --pagesize A4 -o scan.pdf "$tmp/strip.jpg" "$tmp/strip.png" "$tmp/grey.png"

# broken files, derived from kinds.pdf
sz=$(stat -c %s kinds.pdf)
head -c $((sz / 2)) kinds.pdf > truncated.pdf
sed '1s/^%PDF-/%PDX-/' kinds.pdf > wrong_header.pdf
# broken xref: every xref offset and startxref replaced by garbage, objects mangled.
python3 - kinds.pdf broken_xref.pdf <<'PY'
import re, sys
b = open(sys.argv[1], 'rb').read()
b = re.sub(rb'\d{10} 00000 n', b'9999999999 00000 n', b)
b = re.sub(rb'startxref\s+\d+', b'startxref\n123456789', b)
b = b.replace(b' obj', b' jbo')
open(sys.argv[2], 'wb').write(b)
PY
# xref_offsets.pdf: every xref offset wrong but the objects intact (a reader can rebuild the table).
python3 - kinds.pdf xref_offsets.pdf <<'PY'
import re, sys
b = open(sys.argv[1], 'rb').read()
b = re.sub(rb'\d{10} 00000 n', b'0000000017 00000 n', b)
open(sys.argv[2], 'wb').write(b)
PY
ls -l

#!/bin/sh
# make_fixtures.sh regenerates the HEVC conformance fixtures of package hevc:
# generated source pictures (never photos from the corpus) encoded with the
# x265 CLI (3.5) and heif-enc (libheif 1.15, x265 inside) over a matrix of
# options that exercises every feature the decoder supports, plus streams it
# must refuse (10-bit, 4:2:2, 4:4:4, P slices) and damaged streams.
#
# Needs: ffmpeg, x265, heif-enc, ImageMagick (convert), python3,
# libde265-examples (libde265-dec265, cross-check of every checksum).
# Writes into the directory of this script:
#   *.hevc         Annex B streams
#   reference.txt  name, cropped size, MD5 of the decoded Y/Cb/Cr planes of
#                  the FIRST picture (ffmpeg; libde265 must agree), features
#   refuse.txt     streams the decoder must refuse, with the error kind
# Usage: sh make_fixtures.sh   (takes about a minute)
set -eu
cd "$(dirname "$0")"
S=$(pwd)  # scripts; the fixtures are made in $D and replace the old ones at the end
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
D=$T/out
mkdir "$D"

ff() { ffmpeg -nostdin -v error -y "$@"; }

# ---- source pictures (y4m, 4:2:0 unless noted) -------------------------
# s64: 64x64 mandelbrot zoom with noise (dense detail, big coefficients)
ff -f lavfi -i "mandelbrot=size=64x64:rate=1:start_scale=0.3:end_scale=0.3,noise=alls=10:allf=u" \
	-frames:v 1 -pix_fmt yuv420p "$T/s64.y4m"
# s96: 96x72 mandelbrot, default view
ff -f lavfi -i "mandelbrot=size=96x72:rate=1" -frames:v 1 -pix_fmt yuv420p "$T/s96.y4m"
# s200: 200x152 (not a multiple of 8 in width: conformance window),
# plasma background, shapes at many angles, text, grain
convert -seed 7 -size 200x152 plasma:fractal -blur 0x1 \
	-stroke yellow -strokewidth 2 -draw "line 0,150 199,20" -draw "line 5,0 60,151" \
	-fill none -stroke blue -draw "circle 140,90 170,120" \
	-fill white -stroke none -pointsize 22 -annotate +10+40 'HEVC 8x8' \
	-seed 3 -attenuate 0.4 +noise Gaussian -depth 8 "$T/s200.png"
ff -i "$T/s200.png" -pix_fmt yuv420p "$T/s200.y4m"
# s198: 198x150 (not a multiple of 8: conformance window right/bottom)
ff -i "$T/s200.png" -vf "crop=198:150:1:1" -pix_fmt yuv420p "$T/s198.y4m"
# s256: 256x192 ffmpeg testsrc2 (flat areas, sharp edges, gradients) + noise
ff -f lavfi -i "testsrc2=size=256x192:rate=1,noise=alls=12:allf=u" -frames:v 1 -pix_fmt yuv420p "$T/s256.y4m"
# s416: 416x240 photo-like: smooth plasma sky, radial gradient, shapes, text
convert -seed 11 -size 416x240 plasma:steelblue-tan -blur 0x2 \
	\( -size 416x240 radial-gradient:white-black \) -compose multiply -composite \
	-fill '#d04020' -draw "ellipse 300,160 60,40 0,360" -fill '#20a040' -draw "polygon 20,230 120,120 200,230" \
	-fill black -pointsize 30 -annotate +30+60 'mediaprep' \
	-seed 5 -attenuate 0.25 +noise Gaussian -depth 8 "$T/s416.png"
ff -i "$T/s416.png" -pix_fmt yuv420p "$T/s416.y4m"
# s128g: 128x96 grey (4:0:0) from s416, and 4:2:2 / 4:4:4 variants
ff -i "$T/s416.png" -vf scale=128:96 -pix_fmt gray "$T/s128g.y4m"
ff -i "$T/s200.png" -vf scale=96:64 -pix_fmt yuv422p "$T/s96_422.y4m"
ff -i "$T/s200.png" -vf scale=96:64 -pix_fmt yuv444p "$T/s96_444.y4m"
# s96x2: two (three) pictures (96x72), for multi-picture streams
ff -f lavfi -i "mandelbrot=size=96x72:rate=4" -frames:v 2 -pix_fmt yuv420p "$T/s96x2.y4m"
ff -f lavfi -i "mandelbrot=size=96x72:rate=4" -frames:v 3 -pix_fmt yuv420p "$T/s96x3.y4m"

# ---- encodes -------------------------------------------------------------
# enc NAME SOURCE x265-options...: one intra picture
enc() {
	n=$1 s=$2
	shift 2
	x265 --no-progress --log-level error --input "$T/$s.y4m" --output "$D/$n.hevc" --keyint 1 --frames 1 --hash 1 "$@"
}
enc default_s256 s256
enc default_s416 s416
enc default_s200 s200
enc default_s96 s96
enc default_s198 s198
enc nowpp_ctu16_s198 s198 --no-wpp --ctu 16 --qp 30
enc ctu32_mincu16_s198 s198 --ctu 32 --min-cu-size 16 --qp 33
enc crf22_s200 s200 --crf 22
enc nowpp_s256 s256 --no-wpp
enc nowpp_s416 s416 --no-wpp --crf 30
enc ctu16_s200 s200 --ctu 16 --qp 27
enc ctu16_s416 s416 --ctu 16 --crf 30
enc ctu32_s256 s256 --ctu 32 --qp 31
enc ctu32_nowpp_s200 s200 --ctu 32 --no-wpp --qp 30
enc ctu64_mincu32_s256 s256 --ctu 64 --min-cu-size 32 --qp 32
enc mincu16_s200 s200 --min-cu-size 16 --qp 29
enc ctu16_mincu16_s96 s96 --ctu 16 --min-cu-size 16 --qp 25
enc tudepth1_s200 s200 --tu-intra-depth 1 --qp 30
enc tudepth2_s200 s200 --tu-intra-depth 2 --qp 30
enc tudepth3_s256 s256 --tu-intra-depth 3 --qp 30
enc tudepth4_s200 s200 --tu-intra-depth 4 --qp 30
enc maxtu4_s96 s96 --max-tu-size 4 --qp 24
enc maxtu8_s200 s200 --max-tu-size 8 --tu-intra-depth 2 --qp 28
enc maxtu16_s200 s200 --max-tu-size 16 --tu-intra-depth 3 --qp 28
enc maxtu16_ctu16_s96 s96 --ctu 16 --max-tu-size 16 --tu-intra-depth 3 --qp 22
enc qp0_s64 s64 --qp 0
enc qp10_s96 s96 --qp 10
enc qp22_s200 s200 --qp 22
enc qp37_s256 s256 --qp 37
enc qp37_s416 s416 --qp 37
enc qp51_s416 s416 --qp 51
enc qp51_ctu16_s200 s200 --qp 51 --ctu 16
enc tskip_s200 s200 --tskip --qp 27
enc tskip_s256 s256 --tskip --qp 30 --tu-intra-depth 3
enc nosignhide_s200 s200 --no-signhide --qp 27
enc nosignhide_rdoq_s256 s256 --no-signhide --rdoq-level 2 --qp 30
enc scaldef_s200 s200 --scaling-list default --qp 24
enc scaldef_s416 s416 --scaling-list default --crf 30 --tu-intra-depth 2
# explicit lists (HM format): mixes of flat, steep and repeated matrices so
# that scaling_list_pred_mode_flag = 0 (copy) and explicit DPCM both occur
python3 - "$T/scal.txt" <<'EOF'
import sys
out = []
def mat(n, f):
    return ",".join(str(f(i % n, i // n)) for i in range(n * n))
steep = lambda x, y: min(255, 8 + 6 * (x + y))
flat = lambda x, y: 16
oddm = lambda x, y: 1 + ((x * 7 + y * 13) % 90)
for size, n in (("4X4", 4), ("8X8", 8), ("16X16", 8), ("32X32", 8)):
    for kind in ("INTRA", "INTER"):
        comps = ("LUMA",) if size == "32X32" else ("LUMA", "CHROMAU", "CHROMAV")
        for c in comps:
            f = steep if c == "LUMA" else (oddm if c == "CHROMAU" else steep)
            if kind == "INTER":
                f = flat
            out.append("%s%s_%s =" % (kind, size, c))
            out.append(mat(n, f))
            if size in ("16X16", "32X32"):
                out.append("%s%s_%s_DC =" % (kind, size, c))
                out.append("7" if c == "LUMA" else "40")
open(sys.argv[1], "w").write("\n".join(out) + "\n")
EOF
enc scalfile_s200 s200 --scaling-list "$T/scal.txt" --qp 28 --tu-intra-depth 3
enc scalfile_ctu16_s96 s96 --scaling-list "$T/scal.txt" --qp 20 --ctu 16
enc culossless_s96 s96 --cu-lossless --qp 4
enc culossless_s200 s200 --cu-lossless --qp 16 --tu-intra-depth 2
enc lossless_s64 s64 --lossless
enc nosao_s256 s256 --no-sao --qp 30
enc nodeblock_s256 s256 --no-deblock --qp 30
enc nodeblock_nosao_s200 s200 --no-deblock --no-sao --qp 33
enc deblockm6p6_s200 s200 --deblock=-6:6 --qp 34
enc deblockp6m6_s200 s200 --deblock=6:-6 --qp 34
enc deblockp3p2_s416 s416 --deblock=3:2 --qp 40
enc chromaoffs_s200 s200 --cbqpoffs -5 --crqpoffs 7 --qp 30
enc chromaoffs2_s256 s256 --cbqpoffs 12 --crqpoffs -12 --qp 31
enc slices2_s256 s256 --slices 2 --qp 28
enc slices3_s416 s416 --slices 3 --crf 30
enc slices2_ctu16_s200 s200 --slices 2 --ctu 16 --qp 28
enc nosis_s416 s416 --no-strong-intra-smoothing --qp 30
enc sis_smooth_s416 s416 --qp 34 --ctu 64 --tu-intra-depth 1
enc rd6_s200 s200 --rd 6 --qp 30
enc rdoq2_s200 s200 --rdoq-level 2 --qp 30
enc psyrdoq_s256 s256 --psy-rdoq 5 --rdoq-level 1 --qp 30
enc constrained_s200 s200 --constrained-intra --qp 28
enc aq2_qg8_s416 s416 --aq-mode 2 --qg-size 8 --crf 30
enc aq3_qg16_s200 s200 --aq-mode 3 --qg-size 16 --crf 28
enc aq1_qg64_s256 s256 --aq-mode 1 --qg-size 64 --crf 30
enc ultrafast_s416 s416 --preset ultrafast --crf 28
enc veryslow_s200 s200 --preset veryslow --crf 30
enc placebo_s96 s96 --preset placebo --crf 22
enc optqppps_s200 s200 --qp 35 --opt-qp-pps
enc vui_s200 s200 --qp 30 --range full --colorprim bt709 --transfer bt709 --colormatrix bt709
enc hrd_s96 s96 --crf 28 --hrd --vbv-bufsize 1000 --vbv-maxrate 1000
enc msp_s96 s96 --qp 28 --profile mainstillpicture
enc gray_s128 s128g --input-csp i400 --qp 28
enc gray_nowpp_s128 s128g --input-csp i400 --qp 20 --no-wpp --ctu 16
# two intra pictures: the decoder returns the first
x265 --no-progress --log-level error --input "$T/s96x2.y4m" --output "$D/twointra_s96.hevc" --keyint 1 --frames 2 --qp 30
# an IDR then a P picture: the decoder returns the first (intra) picture
x265 --no-progress --log-level error --input "$T/s96x2.y4m" --output "$D/ip_s96.hevc" --keyint 10 --bframes 0 --frames 2 --qp 30
# I, P, B in decoding order: the decoder returns the first (intra) picture
x265 --no-progress --log-level error --input "$T/s96x3.y4m" --output "$D/ipb_s96.hevc" --keyint 10 --bframes 1 --b-adapt 0 --frames 3 --qp 30
# access unit delimiters and parameter sets repeated before each picture
x265 --no-progress --log-level error --input "$T/s96x2.y4m" --output "$D/aud_repeat_s96.hevc" --keyint 1 --frames 2 --qp 30 --aud --repeat-headers

# heif-enc (libheif's x265 settings, full-range nclx) extracted to Annex B
heif() {
	n=$1
	shift
	heif-enc "$@" -o "$T/$n.heic" >/dev/null
	python3 "$S/heif2hevc.py" "$T/$n.heic" "$D/$n.hevc"
}
heif heif_q50_s416 -q 50 "$T/s416.png"
cp "$T/heif_q50_s416.heic" "$D/"  # for TestHeifTiles (the benchmark's HEIF walker)
heif heif_q80_s200 -q 80 "$T/s200.png"
heif heif_q20_s200 -q 20 "$T/s200.png"

# ---- streams to refuse ---------------------------------------------------
enc refuse_10bit_s96 s96 --output-depth 10 --qp 30
enc refuse_12bit_s96 s96 --output-depth 12 --qp 30
enc refuse_422_s96 s96_422 --qp 30
enc refuse_444_s96 s96_444 --qp 30

# damaged and crafted streams, hand-made PCM pictures (see fixtures.py)
python3 "$S/fixtures.py" damage "$D"
python3 "$S/fixtures.py" pcm "$D"

# ---- reference checksums and features -----------------------------------
python3 "$S/fixtures.py" reference "$D"
ls -la "$D"/*.hevc | awk '{s += $5} END {print NR " streams, " s " bytes"}'
rm -f "$S"/*.hevc "$S"/*.heic "$S/reference.txt" "$S/refuse.txt"
mv "$D"/*.hevc "$D"/*.heic "$D/reference.txt" "$D/refuse.txt" "$S/"

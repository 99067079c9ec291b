#!/usr/bin/env python3
"""Helpers of make_fixtures.sh.

  fixtures.py damage DIR     writes the damaged/crafted refuse_*.hevc streams
  fixtures.py reference DIR  writes reference.txt and refuse.txt

reference.txt: one line per decodable stream:
  name width height md5Y md5Cb md5Cr features
  (cropped luma size; MD5 of the first picture's planes as decoded by ffmpeg,
  8-bit, Cb/Cr ((w+1)/2)x((h+1)/2), "-" for 4:0:0; libde265 (dec265) must
  produce the same bytes, and its check of x265's MD5 SEI must pass when the
  stream carries one; features are read from the parameter sets and slice
  headers with ffmpeg's trace_headers bitstream filter.)
refuse.txt: one line per stream the decoder must refuse:
  name kind maxpixels note
  kind: unsupported | corrupt | toolarge | any (error or picture, no panic);
  maxpixels: Options.MaxPixels to use (0 = default).
"""
import hashlib
import os
import random
import re
import subprocess
import sys

# ---------------------------------------------------------------- NAL units


def split_annexb(b):
    """Returns the NAL units (without start codes) of an Annex B stream."""
    out = []
    i = 0
    starts = []
    while True:
        j = b.find(b"\x00\x00\x01", i)
        if j < 0:
            break
        starts.append(j + 3)
        i = j + 3
    for k, s in enumerate(starts):
        e = starts[k + 1] - 3 if k + 1 < len(starts) else len(b)
        nal = b[s:e]
        while k + 1 < len(starts) and nal.endswith(b"\x00"):
            nal = nal[:-1]
        out.append(nal)
    return out


def join_annexb(nals):
    return b"".join(b"\x00\x00\x00\x01" + n for n in nals)


def nal_type(n):
    return (n[0] >> 1) & 63


def unescape(p):
    out = bytearray()
    z = 0
    for c in p:
        if z >= 2 and c == 3:
            z = 0
            continue
        out.append(c)
        z = z + 1 if c == 0 else 0
    return bytes(out)


def escape(p):
    out = bytearray()
    z = 0
    for c in p:
        if z >= 2 and c <= 3:
            out.append(3)
            z = 0
        out.append(c)
        z = z + 1 if c == 0 else 0
    return bytes(out)


class Bits:
    def __init__(self, data):
        self.d = data
        self.p = 0

    def u(self, n):
        v = 0
        for _ in range(n):
            v = v << 1 | (self.d[self.p >> 3] >> (7 - (self.p & 7))) & 1
            self.p += 1
        return v

    def ue(self):
        z = 0
        while self.u(1) == 0:
            z += 1
        return (1 << z) - 1 + self.u(z)

    def se(self):
        k = self.ue()
        return (k + 1) // 2 if k & 1 else -(k // 2)


class Writer:
    def __init__(self):
        self.bits = []

    def u(self, n, v):
        self.bits += [(v >> (n - 1 - i)) & 1 for i in range(n)]

    def ue(self, v):
        v += 1
        n = v.bit_length()
        self.u(n - 1, 0)
        self.u(n, v)

    def se(self, v):
        self.ue(2 * v - 1 if v > 0 else -2 * v)

    def tail(self, data, pos):
        self.bits += [(data[i >> 3] >> (7 - (i & 7))) & 1 for i in range(pos, len(data) * 8)]

    def bytes(self):
        b = self.bits + [0] * (-len(self.bits) % 8)
        return bytes(int("".join(map(str, b[i:i + 8])), 2) for i in range(0, len(b), 8))


def rewrite_sps(nal, width=None, height=None, log2_diff_cb=None, conf=None):
    """Re-encodes an SPS NAL with other pic size / CTB size fields."""
    rb = unescape(nal[2:])
    r = Bits(rb)
    w = Writer()
    w.u(4, r.u(4))  # sps_video_parameter_set_id
    msl = r.u(3)
    w.u(3, msl)  # sps_max_sub_layers_minus1
    w.u(1, r.u(1))  # temporal_id_nesting
    assert msl == 0
    for _ in range(12):  # profile_tier_level: 96 bits
        w.u(8, r.u(8))
    w.ue(r.ue())  # sps_seq_parameter_set_id
    cf = r.ue()
    w.ue(cf)
    if cf == 3:
        w.u(1, r.u(1))
    pw, ph = r.ue(), r.ue()
    w.ue(pw if width is None else width)
    w.ue(ph if height is None else height)
    cw = r.u(1)
    old = [r.ue() for _ in range(4)] if cw else [0, 0, 0, 0]
    if conf is not None:  # conf_win_left/right/top/bottom_offset
        old = conf
    w.u(1, 1 if any(old) else 0)
    if any(old):
        for v in old:
            w.ue(v)
    for _ in range(3):  # bit depths, log2_max_poc_lsb_minus4
        w.ue(r.ue())
    sl = r.u(1)
    w.u(1, sl)
    for _ in range(3):  # one sub-layer: ordering info
        w.ue(r.ue())
    w.ue(r.ue())  # log2_min_luma_coding_block_size_minus3
    d = r.ue()
    w.ue(d if log2_diff_cb is None else log2_diff_cb)
    w.tail(rb, r.p)
    return nal[:2] + escape(w.bytes())


def parse_pps(nal):
    """Returns the fields of a PPS as an ordered list of [name, kind, value]
    (kind u1/u3/ue/se), for PPSs without scaling lists or extensions."""
    r = Bits(unescape(nal[2:]))
    f = []

    def g(name, kind):
        v = {"u1": lambda: r.u(1), "u3": lambda: r.u(3), "ue": r.ue, "se": r.se}[kind]()
        f.append([name, kind, v])
        return v
    for name, kind in (("pps_id", "ue"), ("sps_id", "ue"), ("dependent_slice_segments_enabled", "u1"),
                       ("output_flag_present", "u1"), ("num_extra_slice_header_bits", "u3"),
                       ("sign_data_hiding", "u1"), ("cabac_init_present", "u1"), ("l0_default", "ue"),
                       ("l1_default", "ue"), ("init_qp_minus26", "se"), ("constrained_intra", "u1"),
                       ("transform_skip", "u1")):
        g(name, kind)
    if g("cu_qp_delta_enabled", "u1"):
        g("diff_cu_qp_delta_depth", "ue")
    for name, kind in (("cb_qp_offset", "se"), ("cr_qp_offset", "se"), ("slice_chroma_qp_offsets_present", "u1"),
                       ("weighted_pred", "u1"), ("weighted_bipred", "u1"), ("transquant_bypass", "u1")):
        g(name, kind)
    tiles = g("tiles_enabled", "u1")
    g("entropy_coding_sync", "u1")
    assert not tiles
    g("loop_filter_across_slices", "u1")
    if g("deblocking_filter_control_present", "u1"):
        g("deblocking_override_enabled", "u1")
        if not g("pps_deblocking_disabled", "u1"):
            g("beta_offset_div2", "se")
            g("tc_offset_div2", "se")
    assert not g("pps_scaling_list_data_present", "u1")
    g("lists_modification_present", "u1")
    g("log2_parallel_merge_level_minus2", "ue")
    g("slice_segment_header_extension_present", "u1")
    assert not g("pps_extension_present", "u1")
    return f


def write_pps(nal, fields, after=None):
    """Encodes PPS fields; after maps a field name to extra [name, kind,
    value] fields written right after it."""
    w = Writer()
    for name, kind, v in fields:
        {"u1": lambda v: w.u(1, v), "u3": lambda v: w.u(3, v), "ue": w.ue, "se": w.se}[kind](v)
        for _, k2, v2 in (after or {}).get(name, []):
            {"u1": lambda v: w.u(1, v), "u3": lambda v: w.u(3, v), "ue": w.ue, "se": w.se}[k2](v2)
    w.u(1, 1)  # rbsp_stop_one_bit
    return nal[:2] + escape(w.bytes())


def rewrite_pps(nal, set_fields=None, after=None):
    f = parse_pps(nal)
    assert write_pps(nal, f) == nal, "PPS round trip"
    for x in f:
        if set_fields and x[0] in set_fields:
            x[2] = set_fields[x[0]]
    return write_pps(nal, f, after)


# ------------------------------------------------------ PCM (hand-made)
# x265 cannot write PCM, so these streams are built here: VPS from an x265
# stream, our own SPS/PPS/slice, and a CABAC encoder (9.3.5, the HM
# engine) for the few bins needed: every CTB (16x16, = MinCbSize) is one
# 2Nx2N CU (part_mode bin, context-coded) with pcm_flag = 1 (terminate
# bin), then its raw PCM samples.

LPS = [(128, 176, 208, 240), (128, 167, 197, 227), (128, 158, 187, 216), (123, 150, 178, 205),
       (116, 142, 169, 195), (111, 135, 160, 185), (105, 128, 152, 175), (100, 122, 144, 166),
       (95, 116, 137, 158), (90, 110, 130, 150), (85, 104, 123, 142), (81, 99, 117, 135),
       (77, 94, 111, 128), (73, 89, 105, 122), (69, 85, 100, 116), (66, 80, 95, 110),
       (62, 76, 90, 104), (59, 72, 86, 99), (56, 69, 81, 94), (53, 65, 77, 89),
       (51, 62, 73, 85), (48, 59, 69, 80), (46, 56, 66, 76), (43, 53, 63, 72),
       (41, 50, 59, 69), (39, 48, 56, 65), (37, 45, 54, 62), (35, 43, 51, 59)]


class Cabac:
    """CABAC encoder writing into a Writer (MPS bins and terminate bins only)."""

    def __init__(self, w):
        self.w = w
        self.start()

    def start(self):
        self.low, self.range, self.bits_left, self.nbuf, self.buf = 0, 510, 23, 0, 0xff

    def encode_mps(self, ctx):
        """Encodes the most probable symbol of ctx = [state, mps]."""
        lps = LPS[ctx[0]][(self.range >> 6) & 3]
        self.range -= lps
        ctx[0] = min(ctx[0] + 1, 62)
        if self.range >= 256:
            return
        self.low <<= 1
        self.range <<= 1
        self.bits_left -= 1
        self.test_write()

    def encode_term(self, b):
        self.range -= 2
        if b:
            self.low += self.range
            self.low <<= 7
            self.range = 2 << 7
            self.bits_left -= 7
        elif self.range >= 256:
            return
        else:
            self.low <<= 1
            self.range <<= 1
            self.bits_left -= 1
        self.test_write()

    def test_write(self):
        if self.bits_left < 12:
            self.write_out()

    def write_out(self):
        lead = self.low >> (24 - self.bits_left)
        self.bits_left += 8
        self.low &= 0xffffffff >> self.bits_left
        if lead == 0xff:
            self.nbuf += 1
        elif self.nbuf > 0:
            carry = lead >> 8
            self.w.u(8, (self.buf + carry) & 0xff)
            self.buf = lead & 0xff
            while self.nbuf > 1:
                self.w.u(8, (0xff + carry) & 0xff)
                self.nbuf -= 1
        else:
            self.nbuf = 1
            self.buf = lead

    def finish(self):
        if self.low >> (32 - self.bits_left):
            self.w.u(8, self.buf + 1)
            while self.nbuf > 1:
                self.w.u(8, 0)
                self.nbuf -= 1
            self.low -= 1 << (32 - self.bits_left)
        else:
            if self.nbuf > 0:
                self.w.u(8, self.buf)
            while self.nbuf > 1:
                self.w.u(8, 0xff)
                self.nbuf -= 1
        self.w.u(24 - self.bits_left, self.low >> 8)


def align_one_zero(w):
    w.u(1, 1)
    while len(w.bits) % 8:
        w.u(1, 0)


def pcm_stream(vps, width, height, pcm_bits, pcm_loop_filter_disabled, deblock, seed, flat=False):
    """Returns (stream, Y, Cb, Cr): a PCM-only picture and its samples (as
    coded, i.e. before any deblocking)."""
    rnd = random.Random(seed)
    # SPS
    w = Writer()
    w.u(4, 0); w.u(3, 0); w.u(1, 1)  # vps id, max_sub_layers_minus1, temporal_id_nesting
    w.u(2, 0); w.u(1, 0); w.u(5, 1)  # profile_space, tier, profile_idc 1 (Main)
    w.u(32, 0x60000000)  # compatibility flags 1, 2
    w.u(4, 0b1001); w.u(32, 0); w.u(11, 0)  # progressive, frame_only; 43 reserved bits
    w.u(1, 0); w.u(8, 30)  # inbld, level 1
    w.ue(0); w.ue(1); w.ue(width); w.ue(height); w.u(1, 0)  # sps id, 4:2:0, size, no conf window
    w.ue(0); w.ue(0); w.ue(4)  # bit depths 8, log2_max_poc_lsb 8
    w.u(1, 1); w.ue(0); w.ue(0); w.ue(0)  # sub-layer ordering info
    w.ue(1); w.ue(0)  # MinCb 16, CTB 16
    w.ue(0); w.ue(2)  # TB 4..16
    w.ue(0); w.ue(0)  # max transform hierarchy depth inter/intra
    w.u(1, 0); w.u(1, 0); w.u(1, 0)  # scaling lists, amp, sao
    w.u(1, 1)  # pcm_enabled_flag
    w.u(4, pcm_bits[0] - 1); w.u(4, pcm_bits[1] - 1)
    w.ue(1); w.ue(0)  # PCM CB sizes 16..16
    w.u(1, pcm_loop_filter_disabled)
    w.ue(0); w.u(1, 0); w.u(1, 0); w.u(1, 0)  # no st RPS, no lt refs, no TMVP, no strong smoothing
    w.u(1, 0); w.u(1, 0)  # no VUI, no extension
    align_one_zero(w)
    sps = bytes([0x42, 0x01]) + escape(w.bytes())
    # PPS
    w = Writer()
    w.ue(0); w.ue(0); w.u(1, 0); w.u(1, 0); w.u(3, 0); w.u(1, 0); w.u(1, 0)
    w.ue(0); w.ue(0); w.se(0); w.u(1, 0); w.u(1, 0); w.u(1, 0)  # init_qp 26, no tskip, no cu_qp_delta
    w.se(0); w.se(0); w.u(1, 0); w.u(1, 0); w.u(1, 0); w.u(1, 0)
    w.u(1, 0); w.u(1, 0); w.u(1, 0)  # tiles, wpp, loop filter across slices
    w.u(1, 1); w.u(1, 0); w.u(1, 0 if deblock else 1)  # deblocking control: override off, disabled?
    if deblock:
        w.se(deblock[0]); w.se(deblock[1])  # beta/2, tc/2
    w.u(1, 0); w.u(1, 0); w.ue(0); w.u(1, 0); w.u(1, 0)
    align_one_zero(w)
    pps = bytes([0x44, 0x01]) + escape(w.bytes())
    # slice: IDR_N_LP
    w = Writer()
    w.u(1, 1); w.u(1, 0); w.ue(0); w.ue(2); w.se(0)  # first slice, no_output_of_prior, pps 0, I, qp delta 0
    align_one_zero(w)  # byte_alignment()
    cab = Cabac(w)
    part_mode = [0, 1]  # initValue 184 at QP 26: pStateIdx 0, valMps 1
    ys, cs = [[0] * width for _ in range(height)], [[[0] * (width // 2) for _ in range(height // 2)] for _ in range(2)]
    n = (width // 16) * (height // 16)
    for ctb in range(n):
        x0, y0 = ctb % (width // 16) * 16, ctb // (width // 16) * 16
        cab.encode_mps(part_mode)  # part_mode: 2Nx2N
        cab.encode_term(1)  # pcm_flag
        cab.finish()
        align_one_zero(w)  # as HM's encodePCMAlignBits: finish, a 1 bit, zero bits
        base = rnd.randrange(40, 200)
        gx, gy, noise = rnd.randrange(-3, 4), rnd.randrange(-3, 4), 4
        if flat:  # flat blocks with small steps between them: deblocking acts
            base, gx, gy, noise = 96 + 8 * rnd.randrange(4), 0, 0, 0
        for y in range(16):
            for x in range(16):
                v = max(0, min(255, base + gx * x + gy * y + rnd.randrange(-noise, noise + 1)))
                v >>= 8 - pcm_bits[0]
                w.u(pcm_bits[0], v)
                ys[y0 + y][x0 + x] = v << (8 - pcm_bits[0])
        for c in range(2):
            cb = rnd.randrange(60, 190)
            for y in range(8):
                for x in range(8):
                    v = max(0, min(255, cb + x - y + rnd.randrange(-3, 4))) >> (8 - pcm_bits[1])
                    w.u(pcm_bits[1], v)
                    cs[c][y0 // 2 + y][x0 // 2 + x] = v << (8 - pcm_bits[1])
        cab.start()  # 9.3.2.5: re-initialise the engine after pcm_sample()
        cab.encode_term(1 if ctb == n - 1 else 0)  # end_of_slice_segment_flag
    cab.finish()
    align_one_zero(w)  # rbsp_slice_segment_trailing_bits
    sl = bytes([0x28, 0x01]) + escape(w.bytes())
    flat = lambda rows: bytes(v for r in rows for v in r)
    return join_annexb([vps, sps, pps, sl]), flat(ys), flat(cs[0]), flat(cs[1])


def pcm(d):
    nals = split_annexb(open(os.path.join(d, "default_s96.hevc"), "rb").read())
    vps = [n for n in nals if nal_type(n) == 32][0]
    for name, bits, lfd, db, seed, flat in (("pcm8_nofilter", (8, 8), 1, (0, 0), 1, False),
                                            ("pcm5_6_deblock", (5, 6), 0, (0, 0), 2, True),
                                            ("pcm7_7_deblock_ofs", (7, 7), 0, (6, 6), 3, False)):
        st, y, cb, cr = pcm_stream(vps, 64, 48, bits, lfd, db, seed, flat)
        open(os.path.join(d, name + ".hevc"), "wb").write(st)
        raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", os.path.join(d, name + ".hevc"),
                              "-f", "rawvideo", "-"], capture_output=True, check=True).stdout
        if lfd and raw != y + cb + cr:
            # no filter may touch PCM samples: the output is what was coded
            sys.exit("%s: ffmpeg does not return the PCM samples" % name)
        if not lfd:
            diff = [sum(a != b for a, b in zip(raw[o:o + n], ref)) for o, n, ref in
                    ((0, len(y), y), (len(y), len(cb), cb), (len(y) + len(cb), len(cr), cr))]
            if min(diff) == 0:
                sys.exit("%s: deblocking changed no sample of some plane: %s" % (name, diff))


# ------------------------------------------------------------------ damage


def damage(d):
    rd = lambda n: open(os.path.join(d, n + ".hevc"), "rb").read()
    wr = lambda n, b: open(os.path.join(d, n + ".hevc"), "wb").write(b)
    rnd = random.Random(1)

    # P slice first: drop the IDR picture of ip_s96 (VPS SPS PPS SEI P-slice)
    nals = split_annexb(rd("ip_s96"))
    wr("refuse_pfirst_s96", join_annexb([n for n in nals if nal_type(n) not in (19, 20)]))

    s = rd("default_s256")
    wr("refuse_trunc_half_s256", s[: len(s) // 2])
    def cut_slice(src, n):
        """src's NAL units up to its (last) slice, whose last n bytes are cut."""
        nals = split_annexb(rd(src))
        last = max(i for i, x in enumerate(nals) if nal_type(x) < 32)
        return join_annexb(nals[:last] + [nals[last][:-n]])
    wr("refuse_trunc_tail_nowpp_s256", cut_slice("nowpp_s256", 40))
    wr("refuse_trunc_tail_wpp_s200", cut_slice("default_s200", 25))
    wr("refuse_trunc_tail_ctu16_s416", cut_slice("ctu16_s416", 300))
    nals = split_annexb(rd("default_s96"))
    t = [nal_type(n) for n in nals]
    sps = nals[t.index(33)]
    wr("refuse_trunc_sps_s96", join_annexb([n if nal_type(n) != 33 else n[:9] for n in nals]))
    wr("refuse_nosps_s96", join_annexb([n for n in nals if nal_type(n) != 33]))
    wr("refuse_nopps_s96", join_annexb([n for n in nals if nal_type(n) != 34]))
    wr("refuse_noslice_s96", join_annexb([n for n in nals if nal_type(n) >= 32]))
    wr("refuse_empty", b"")
    wr("refuse_startcodes_only", b"\x00\x00\x00\x01" * 4)
    wr("refuse_garbage", bytes(rnd.randrange(256) for _ in range(700)))
    sub = lambda **kw: join_annexb([n if nal_type(n) != 33 else rewrite_sps(n, **kw) for n in nals])
    wr("refuse_sps_width0_s96", sub(width=0))
    wr("refuse_sps_huge_s96", sub(width=40000, height=40000))
    wr("refuse_sps_ctb256_s96", sub(log2_diff_cb=5))
    wr("refuse_sps_oddwidth_s96", sub(width=97))
    # PPS rewrites: tiles (2 columns; the slice data is x265's, coded
    # without tiles: the decoder must refuse at the PPS / slice header), a
    # PPS range extension with cross-component prediction, and (decodable)
    # dependent slices enabled but unused in a single-slice picture.
    def pps_sub(src, **kw):
        return join_annexb([n if nal_type(n) != 34 else rewrite_pps(n, **kw) for n in split_annexb(rd(src))])
    wr("refuse_tiles_s256", pps_sub("default_s256", set_fields={"tiles_enabled": 1},
                                    after={"entropy_coding_sync": [["num_tile_columns_minus1", "ue", 1],
                                                                   ["num_tile_rows_minus1", "ue", 0],
                                                                   ["uniform_spacing", "u1", 1],
                                                                   ["loop_filter_across_tiles", "u1", 1]]}))
    wr("refuse_tiles_nowpp_s256", pps_sub("nowpp_s256", set_fields={"tiles_enabled": 1},
                                          after={"entropy_coding_sync": [["num_tile_columns_minus1", "ue", 0],
                                                                         ["num_tile_rows_minus1", "ue", 1],
                                                                         ["uniform_spacing", "u1", 1],
                                                                         ["loop_filter_across_tiles", "u1", 0]]}))
    wr("refuse_pps_rext_s96", pps_sub("default_s96", set_fields={"pps_extension_present": 1},
                                      after={"pps_extension_present": [["range", "u1", 1], ["multilayer", "u1", 0],
                                                                       ["3d", "u1", 0], ["scc", "u1", 0],
                                                                       ["ext4", "u3", 0], ["ext4b", "u1", 0],
                                                                       ["cross_component_prediction", "u1", 1],
                                                                       ["chroma_qp_offset_list", "u1", 0],
                                                                       ["log2_sao_offset_scale_luma", "ue", 0],
                                                                       ["log2_sao_offset_scale_chroma", "ue", 0]]}))
    wr("depslices_unused_s200", pps_sub("default_s200", set_fields={"dependent_slice_segments_enabled": 1}))
    # conformance windows on all four sides (offsets in chroma units for
    # 4:2:0, luma units for 4:0:0, where odd sizes are possible)
    def sps_sub(src, **kw):
        return join_annexb([n if nal_type(n) != 33 else rewrite_sps(n, **kw) for n in split_annexb(rd(src))])
    wr("confwin4_s256", sps_sub("default_s256", conf=[3, 5, 1, 6]))
    wr("confwin_odd_gray_s128", sps_sub("gray_s128", conf=[3, 1, 0, 3]))
    # a slice of three missing: some CTBs are never decoded
    nals = split_annexb(rd("slices3_s416"))
    sl = [i for i, n in enumerate(nals) if nal_type(n) in (19, 20)]
    wr("refuse_missing_slice_s416", join_annexb([n for i, n in enumerate(nals) if i != sl[1]]))
    # bit flips in slice data: decode or fail, never panic
    for name, src in (("refuse_flip1_s200", "default_s200"), ("refuse_flip2_s256", "nowpp_s256"),
                      ("refuse_flip3_s96", "maxtu4_s96"), ("refuse_flip4_s96", "scalfile_ctu16_s96")):
        b = bytearray(rd(src))
        for _ in range(6):
            i = rnd.randrange(len(b) // 3, len(b))
            b[i] ^= 1 << rnd.randrange(8)
        wr(name, bytes(b))


REFUSE = {
    "refuse_10bit_s96": ("unsupported", "x265 --output-depth 10 (Main 10)"),
    "refuse_12bit_s96": ("unsupported", "x265 --output-depth 12 (RExt)"),
    "refuse_422_s96": ("unsupported", "x265 4:2:2 input (RExt)"),
    "refuse_444_s96": ("unsupported", "x265 4:4:4 input (RExt)"),
    "refuse_pfirst_s96": ("unsupported", "first picture is a P slice (IDR removed from ip_s96)"),
    "refuse_trunc_half_s256": ("corrupt", "default_s256 cut in half (inside slice data, WPP)"),
    "refuse_trunc_tail_nowpp_s256": ("corrupt", "nowpp_s256 slice without its last 40 bytes (SEI after it dropped)"),
    "refuse_trunc_tail_wpp_s200": ("corrupt", "default_s200 slice without its last 25 bytes (in the last WPP substream)"),
    "refuse_trunc_tail_ctu16_s416": ("corrupt", "ctu16_s416 slice without its last 300 bytes (last WPP substreams)"),
    "refuse_trunc_sps_s96": ("corrupt", "SPS NAL cut to 9 bytes"),
    "refuse_nosps_s96": ("corrupt", "SPS removed"),
    "refuse_nopps_s96": ("corrupt", "PPS removed"),
    "refuse_noslice_s96": ("corrupt", "parameter sets only, no slice"),
    "refuse_empty": ("corrupt", "zero bytes"),
    "refuse_startcodes_only": ("corrupt", "four start codes, empty NAL units"),
    "refuse_garbage": ("corrupt", "700 random bytes"),
    "refuse_sps_width0_s96": ("corrupt", "SPS pic_width_in_luma_samples = 0"),
    "refuse_sps_huge_s96": ("toolarge", "SPS says 40000x40000"),
    "refuse_sps_ctb256_s96": ("corrupt", "SPS log2_diff_max_min_luma_coding_block_size = 5 (CTB 256)"),
    "refuse_sps_oddwidth_s96": ("corrupt", "SPS width 97, not a multiple of MinCbSizeY"),
    "refuse_tiles_s256": ("unsupported", "default_s256 with its PPS rewritten to 2x1 tiles (+WPP)"),
    "refuse_tiles_nowpp_s256": ("unsupported", "nowpp_s256 with its PPS rewritten to 1x2 tiles"),
    "refuse_pps_rext_s96": ("unsupported", "default_s96 with a PPS range extension (cross_component_prediction_enabled_flag = 1)"),
    "refuse_missing_slice_s416": ("corrupt", "slices3_s416 without its second slice"),
    "refuse_flip1_s200": ("any", "default_s200 with 6 bits flipped in the last 2/3"),
    "refuse_flip2_s256": ("any", "nowpp_s256 with 6 bits flipped"),
    "refuse_flip3_s96": ("any", "maxtu4_s96 with 6 bits flipped"),
    "refuse_flip4_s96": ("any", "scalfile_ctu16_s96 with 6 bits flipped"),
}
# decodable streams refused only because of Options.MaxPixels
MAXPIX = {"default_s416": 416 * 240 - 1, "ctu16_s200": 200 * 152 - 1}

# --------------------------------------------------------------- reference


def trace(path):
    """Returns [(section, field, value)] from ffmpeg's trace_headers."""
    p = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "trace", "-i", path, "-c", "copy",
                        "-bsf:v", "trace_headers", "-f", "null", "-"], capture_output=True, text=True)
    out = []
    sec = ""
    for line in p.stderr.splitlines():
        mt = re.search(r"\[trace_headers @ [^\]]*\](.*)$", line)
        if not mt:
            continue
        body = mt.group(1).strip()
        m = re.match(r"^\d+\s+(\S+)\s+[01]+\s+=\s+(-?\d+)$", body)
        if m:
            out.append((sec, m.group(1), int(m.group(2))))
        elif body and not body.startswith("nal_unit_type") and not body.startswith("Packet"):
            sec = body
    return out


def features(path):
    tr = trace(path)
    sps, pps, slices = {}, {}, []
    pics = 0
    for sec, k, v in tr:
        if sec == "Sequence Parameter Set":
            sps.setdefault(k, v)
        elif sec == "Picture Parameter Set":
            pps.setdefault(k, v)
        elif sec == "Slice Segment Header":
            if k == "first_slice_segment_in_pic_flag":
                if v == 1:
                    pics += 1
                if pics == 1:
                    slices.append({})
            if pics == 1 and slices:
                slices[-1].setdefault(k, v)
    f = []
    prof = {1: "main", 2: "main10", 3: "msp", 4: "rext"}.get(sps.get("general_profile_idc"), "p?")
    f.append(prof)
    cf = sps.get("chroma_format_idc", 1)
    f.append({0: "400", 1: "420", 2: "422", 3: "444"}[cf])
    bd = sps.get("bit_depth_luma_minus8", 0) + 8
    if bd != 8:
        f.append("%dbit" % bd)
    mincb = sps["log2_min_luma_coding_block_size_minus3"] + 3
    ctb = mincb + sps["log2_diff_max_min_luma_coding_block_size"]
    mintb = sps["log2_min_luma_transform_block_size_minus2"] + 2
    maxtb = mintb + sps["log2_diff_max_min_luma_transform_block_size"]
    f.append("ctb%d" % (1 << ctb))
    f.append("mincb%d" % (1 << mincb))
    f.append("tb%d-%d" % (1 << mintb, 1 << maxtb))
    f.append("tdepth%d" % sps["max_transform_hierarchy_depth_intra"])
    if sps.get("conformance_window_flag"):
        f.append("confwin")
    if sps.get("scaling_list_enabled_flag"):
        f.append("scaling-sps" if sps.get("sps_scaling_list_data_present_flag") else "scaling-default")
        if sps.get("scaling_list_pred_mode_flag[0][0]") is not None or any(k.startswith("scaling_list_pred_matrix_id_delta") for _, k, _ in tr):
            f.append("scaling-pred")
    if pps.get("pps_scaling_list_data_present_flag"):
        f.append("scaling-pps")
    if sps.get("pcm_enabled_flag"):
        f.append("pcm%d/%d" % (sps.get("pcm_sample_bit_depth_luma_minus1", -1) + 1,
                               sps.get("pcm_sample_bit_depth_chroma_minus1", -1) + 1))
        if sps.get("pcm_loop_filter_disabled_flag"):
            f.append("pcm-nofilter")
    if sps.get("amp_enabled_flag"):
        f.append("amp")
    if not sps.get("strong_intra_smoothing_enabled_flag"):
        f.append("nostrongsmooth")
    if sps.get("video_full_range_flag"):
        f.append("fullrange")
    if "matrix_coefficients" in sps:
        f.append("mc%d" % sps["matrix_coefficients"])
    if sps.get("vui_hrd_parameters_present_flag"):
        f.append("vui-hrd")
    if pps.get("init_qp_minus26"):
        f.append("initqp%d" % (26 + pps["init_qp_minus26"]))
    if pps.get("sign_data_hiding_enabled_flag"):
        f.append("signhide")
    if pps.get("constrained_intra_pred_flag"):
        f.append("constrained")
    if pps.get("transform_skip_enabled_flag"):
        f.append("tskip")
    if pps.get("cu_qp_delta_enabled_flag"):
        f.append("cuqpd%d" % pps.get("diff_cu_qp_delta_depth", 0))
    if pps.get("pps_cb_qp_offset") or pps.get("pps_cr_qp_offset"):
        f.append("cqpoffs%d/%d" % (pps.get("pps_cb_qp_offset", 0), pps.get("pps_cr_qp_offset", 0)))
    if pps.get("pps_slice_chroma_qp_offsets_present_flag"):
        f.append("slicecqp")
    if pps.get("transquant_bypass_enabled_flag"):
        f.append("tqbypass")
    if pps.get("entropy_coding_sync_enabled_flag"):
        f.append("wpp")
    if pps.get("tiles_enabled_flag"):
        f.append("tiles")
    if pps.get("dependent_slice_segments_enabled_flag"):
        f.append("depslices")
    if pps.get("pps_deblocking_filter_disabled_flag"):
        f.append("nodeblock")
    if pps.get("pps_beta_offset_div2") or pps.get("pps_tc_offset_div2"):
        f.append("dbofs%d/%d" % (pps.get("pps_beta_offset_div2", 0), pps.get("pps_tc_offset_div2", 0)))
    if pps.get("deblocking_filter_override_enabled_flag"):
        f.append("dboverride")
    if not sps.get("sample_adaptive_offset_enabled_flag"):
        f.append("nosao")
    s0 = slices[0] if slices else {}
    if sps.get("sample_adaptive_offset_enabled_flag"):
        f.append("sao%s%s" % ("Y" if s0.get("slice_sao_luma_flag") else "", "C" if s0.get("slice_sao_chroma_flag") else ""))
    if s0.get("slice_deblocking_filter_disabled_flag"):
        f.append("slice-nodeblock")
    if s0.get("slice_beta_offset_div2") or s0.get("slice_tc_offset_div2"):
        f.append("slice-dbofs%d/%d" % (s0.get("slice_beta_offset_div2", 0), s0.get("slice_tc_offset_div2", 0)))
    if s0.get("slice_cb_qp_offset") or s0.get("slice_cr_qp_offset"):
        f.append("slice-cqp%d/%d" % (s0.get("slice_cb_qp_offset", 0), s0.get("slice_cr_qp_offset", 0)))
    f.append("qp%d" % (26 + pps.get("init_qp_minus26", 0) + s0.get("slice_qp_delta", 0)))
    if len(slices) > 1:
        f.append("slices%d" % len(slices))
    ep = sum(s.get("num_entry_point_offsets", 0) for s in slices)
    if ep:
        f.append("entrypoints%d" % ep)
    ntypes = [st for st in (s.get("slice_type") for s in slices) if st != 2]
    if ntypes:
        f.append("nonI")
    allpics = sum(1 for sec, k, v in tr if sec == "Slice Segment Header" and k == "first_slice_segment_in_pic_flag" and v == 1)
    if allpics > 1:
        types = [v for sec, k, v in tr if sec == "Slice Segment Header" and k == "slice_type"]
        f.append("pictures%d(types%s)" % (allpics, "".join("BPI"[t] for t in types)))
    return ",".join(f), cf


def md5(b):
    return hashlib.md5(b).hexdigest()


def probe(path):
    p = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                        "stream=width,height,pix_fmt", "-of", "csv=p=0", path], capture_output=True, text=True, check=True)
    w, h, pf = p.stdout.strip().splitlines()[0].split(",")[:3]
    return int(w), int(h), pf


def ffmpeg_hash(path):
    """Returns ffmpeg's verdict on the picture hash SEI of the first picture:
    'correct', 'mismatch' or 'none'."""
    p = subprocess.run(["ffmpeg", "-nostdin", "-err_detect", "crccheck", "-v", "debug", "-i", path, "-frames:v", "1",
                        "-f", "null", "-"], capture_output=True, text=True)
    for line in p.stderr.splitlines():
        if "Verifying checksum" in line:
            return "mismatch" if "mismatch" in line else "correct"
    return "none"


def reference(d):
    names = sorted(n[:-5] for n in os.listdir(d) if n.endswith(".hevc"))
    ref, bad, notes = [], [], []
    tmp = os.path.join(d, ".dec265.yuv")
    for n in names:
        if n.startswith("refuse_"):
            continue
        path = os.path.join(d, n + ".hevc")
        feat, cf = features(path)
        w, h, pf = probe(path)
        if pf not in ("yuv420p", "yuvj420p", "gray"):
            sys.exit("%s: pix_fmt %s is not decodable by package hevc" % (n, pf))
        # native pix_fmt: no range or format conversion by swscale
        raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-flags", "unaligned", "-i", path, "-frames:v", "1", "-f", "rawvideo",
                              "-pix_fmt", pf, "-"], capture_output=True, check=True).stdout
        ys = w * h
        cs = ((w + 1) // 2) * ((h + 1) // 2)
        want = ys if cf == 0 else ys + 2 * cs
        if len(raw) != want:
            sys.exit("%s: ffmpeg gave %d bytes, want %d" % (n, len(raw), want))
        # libde265 cross-check (-c checks the picture hash SEI x265 writes)
        p = subprocess.run(["libde265-dec265", "-q", "-c", "-f", "1", path], capture_output=True, text=True)
        msg = (p.stdout + p.stderr).lower()
        subprocess.run(["libde265-dec265", "-q", "-f", "1", "-o", tmp, path], capture_output=True, check=True)
        de = open(tmp, "rb").read()[:want] if cf else open(tmp, "rb").read()[:ys]
        dehash = "mismatch" if "checksum mismatch" in msg else "ok"
        ffh = ffmpeg_hash(path)
        if ffh != "none":
            feat += ",hashSEI"
        ffraw = raw if cf else raw[:ys]
        if de == ffraw and ffh != "mismatch" and dehash == "ok":
            pass
        elif de == ffraw and ffh == "mismatch" and dehash == "mismatch":
            feat += ",encoder-hash-differs"
            notes.append("%s: ffmpeg and libde265 agree, both differ from x265's picture hash SEI (reference = both)" % n)
        elif ffh == "correct" and de != ffraw:
            feat += ",libde265-differs"
            notes.append("%s: libde265 differs from ffmpeg; ffmpeg matches the picture hash SEI (reference = ffmpeg)" % n)
        elif ffh == "mismatch" and dehash == "ok" and len(de) == len(ffraw):
            feat += ",ffmpeg-differs"
            raw = de
            notes.append("%s: ffmpeg differs from libde265; libde265 matches the picture hash SEI (reference = libde265)" % n)
        else:
            bad.append(n)
            print("UNRESOLVED ffmpeg vs libde265:", n, "ffmpeg hash", ffh, "dec265", dehash, msg.strip()[:200],
                  file=sys.stderr)
            continue
        planes = [raw[:ys]] if cf == 0 else [raw[:ys], raw[ys:ys + cs], raw[ys + cs:]]
        sums = [md5(pl) for pl in planes] + ["-"] * (3 - len(planes))
        ref.append("%s %d %d %s %s %s %s" % (n, w, h, sums[0], sums[1], sums[2], feat))
    os.remove(tmp)
    with open(os.path.join(d, "reference.txt"), "w") as fo:
        fo.write("# name width height md5(Y) md5(Cb) md5(Cr) features -- generated by make_fixtures.sh; "
                 "MD5s of the first picture as decoded by ffmpeg, cross-checked with libde265\n")
        fo.write("\n".join(ref) + "\n")
    with open(os.path.join(d, "refuse.txt"), "w") as fo:
        fo.write("# name kind maxpixels note -- generated by make_fixtures.sh; kind: unsupported|corrupt|toolarge|any\n")
        for n in names:
            if n.startswith("refuse_"):
                kind, note = REFUSE[n]
                fo.write("%s %s 0 %s\n" % (n, kind, note))
        for n, mp in sorted(MAXPIX.items()):
            fo.write("%s toolarge %d Options.MaxPixels below the coded size\n" % (n, mp))
    for n in REFUSE:
        if n not in names:
            sys.exit("missing refuse stream " + n)
    for x in notes:
        print("NOTE", x)
    if bad:
        sys.exit("ffmpeg and libde265 disagree on: " + " ".join(bad))


if __name__ == "__main__":
    {"damage": damage, "reference": reference, "pcm": pcm}[sys.argv[1]](sys.argv[2])

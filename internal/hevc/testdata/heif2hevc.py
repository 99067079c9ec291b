#!/usr/bin/env python3
"""Extract the primary (or each grid tile) HEVC item of a HEIF file as Annex B."""
import struct, sys
def boxes(b, off=0, end=None):
    end = len(b) if end is None else end
    while off + 8 <= end:
        size, typ = struct.unpack('>I4s', b[off:off+8]); hdr = 8
        if size == 1: size = struct.unpack('>Q', b[off+8:off+16])[0]; hdr = 16
        elif size == 0: size = end - off
        yield typ.decode('latin1'), b[off+hdr:off+size]
        off += size
data = open(sys.argv[1], 'rb').read()
meta = [p for t, p in boxes(data) if t == 'meta'][0][4:]
mb = dict(boxes(meta))
pitm = struct.unpack('>H', mb['pitm'][4:6])[0]
iloc = mb['iloc']; v = iloc[0]
sizes = iloc[4:6]; os_, ls = sizes[0] >> 4, sizes[0] & 15; bs = sizes[1] >> 4; ixs = sizes[1] & 15 if v in (1, 2) else 0
p = 6
def rd(n):
    global p
    if n == 0: return 0
    r = int.from_bytes(iloc[p:p+n], 'big'); p += n; return r
cnt = rd(2 if v < 2 else 4)
locs = {}
for _ in range(cnt):
    iid = rd(2 if v < 2 else 4)
    if v in (1, 2): rd(2)
    rd(2); base = rd(bs); ec = rd(2); ex = []
    for _ in range(ec):
        if ixs: rd(ixs)
        ex.append((base + rd(os_), rd(ls)))
    locs[iid] = ex
iprp = dict(boxes(mb['iprp'])); props = [pp for t, pp in boxes(iprp['ipco'])]
ptypes = [t for t, pp in boxes(iprp['ipco'])]
ipma = iprp['ipma']; ver, fl = ipma[0], int.from_bytes(ipma[1:4], 'big'); q = 4
n = struct.unpack('>I', ipma[q:q+4])[0]; q += 4; assoc = {}
for _ in range(n):
    if ver < 1: iid = struct.unpack('>H', ipma[q:q+2])[0]; q += 2
    else: iid = struct.unpack('>I', ipma[q:q+4])[0]; q += 4
    c = ipma[q]; q += 1; lst = []
    for _ in range(c):
        if fl & 1: x = struct.unpack('>H', ipma[q:q+2])[0] & 0x7fff; q += 2
        else: x = ipma[q] & 0x7f; q += 1
        lst.append(x)
    assoc[iid] = lst
# iref dimg for grid
tiles = [pitm]
if 'iref' in mb:
    ir = mb['iref']; rv = ir[0]
    for t, pl in boxes(ir, 4):
        w = 2 if rv == 0 else 4
        fr = int.from_bytes(pl[0:w], 'big')
        if t == 'dimg' and fr == pitm:
            k = int.from_bytes(pl[w:w+2], 'big')
            tiles = [int.from_bytes(pl[w+2+i*w:w+2+(i+1)*w], 'big') for i in range(k)]
def annexb(iid):
    out = b''
    for x in assoc[iid]:
        if ptypes[x-1] == 'hvcC':
            h = props[x-1]; o = 22; na = h[o]; o += 1
            for _ in range(na):
                o += 1; nn = struct.unpack('>H', h[o:o+2])[0]; o += 2
                for _ in range(nn):
                    l = struct.unpack('>H', h[o:o+2])[0]; o += 2
                    out += b'\0\0\0\1' + h[o:o+l]; o += l
    d = b''.join(data[a:a+l] for a, l in locs[iid])
    o = 0
    while o + 4 <= len(d):
        l = struct.unpack('>I', d[o:o+4])[0]; out += b'\0\0\0\1' + d[o+4:o+4+l]; o += 4 + l
    return out
outp = sys.argv[2]
if len(tiles) == 1:
    open(outp, 'wb').write(annexb(tiles[0]))
else:
    for i, t in enumerate(tiles):
        open(outp.replace('.hevc', '_%02d.hevc' % i), 'wb').write(annexb(t))

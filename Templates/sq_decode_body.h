/*
 * sq_decode_body.h - the decoder of sq_decode.h for one element type.
 * Included only by sq_decode.h, once per type, with SQ__DEC_T (the element
 * type), SQ__DEC_CW (the layer struct), SQ__DEC_NAME (the decoder's name),
 * SQ__DEC_PREPARE (the name of its per-call preparation) and SQ__DEC_PAIRS
 * (1: 4-bit codebooks use the pair table, int8 only) defined; no include
 * guard on purpose.
 */

/*
 * SQ__DEC_PREPARE(cw, work): builds the per-layer table the decoder of cw's
 * layer reads from the work area: for 4-bit int8 codebooks the two codes of
 * every index byte. Once per convolution call; the blocks share it. (The
 * position table of sparse layers is built once per inference.)
 */
SQ_DECODER void SQ__DEC_PREPARE(const SQ__DEC_CW *cw, void *SQ_RESTRICT work)
{
    (void)cw;
    (void)work;
#if SQ__DEC_PAIRS
    if (cw->format == SQ_CW_CODEBOOK && cw->bits == 4) {
        uint16_t *SQ_RESTRICT pairs =
            (uint16_t *)(void *)((uint8_t *)work + cw->pairs);
        int v;
        for (v = 0; v < 256; ++v) {
            pairs[v] = (uint16_t)((uint8_t)cw->table[v & 15] |
                                  ((unsigned)(uint8_t)cw->table[v >> 4] << 8));
        }
    }
#endif
}

/*
 * SQ__DEC_GROUPS: the sparse codebook fast path: `groups` whole mask bytes
 * from mp (byte-aligned), entries from e on; returns the next entry. Per
 * group: zeros, then one 32-bit load of its indices when they fit in 25
 * bits (else one load per index). Forced inline so a constant `bits`
 * specialises it.
 */
SQ_INLINE uint32_t SQ__DEC_GROUPS(const uint8_t *SQ_RESTRICT mp, int groups,
                                  const uint32_t *SQ_RESTRICT positions,
                                  const uint8_t *SQ_RESTRICT idx, uint32_t e,
                                  int bits,
                                  const SQ__DEC_T *SQ_RESTRICT table,
                                  SQ__DEC_T *SQ_RESTRICT d)
{
    const uint32_t imask = (1u << bits) - 1u;
    int g;

    for (g = 0; g < groups; ++g, d += 8) {
        uint32_t pos = positions[mp[g]];
        uint32_t c = pos >> 24;
        uint32_t bit, w;
        memset(d, 0, 8 * sizeof(SQ__DEC_T));
        if (c == 0u) {
            continue;
        }
        bit = e * (uint32_t)bits;
        if (c * (uint32_t)bits <= 25u) {
            /* unrolled by the count (at most 25 / 2 = 12 > 8 entries) */
            memcpy(&w, idx + (bit >> 3), 4);
            w = sq__le32(w) >> (bit & 7u);
            e += c;
            switch (c) {
            case 8:
                SQ__DEC_PUT(d, pos, table, w, imask, bits);
                /* fall through */
            case 7:
                SQ__DEC_PUT(d, pos, table, w, imask, bits);
                /* fall through */
            case 6:
                SQ__DEC_PUT(d, pos, table, w, imask, bits);
                /* fall through */
            case 5:
                SQ__DEC_PUT(d, pos, table, w, imask, bits);
                /* fall through */
            case 4:
                SQ__DEC_PUT(d, pos, table, w, imask, bits);
                /* fall through */
            case 3:
                SQ__DEC_PUT(d, pos, table, w, imask, bits);
                /* fall through */
            case 2:
                SQ__DEC_PUT(d, pos, table, w, imask, bits);
                /* fall through */
            default:
                d[pos & 7u] = table[w & imask];
                break;
            }
            continue;
        }
        do {
            memcpy(&w, idx + (bit >> 3), 4);
            w = sq__le32(w) >> (bit & 7u);
            d[pos & 7u] = table[w & imask];
            bit += (uint32_t)bits;
            ++e;
            pos >>= 3;
        } while (--c != 0u);
    }
    return e;
}

/*
 * SQ__DEC_NAME(cw, b, work): the elements of block b into the decode
 * scratch after the work area; returns their number (block_len, or fewer
 * for the last block).
 */
SQ_DECODER int SQ__DEC_NAME(const SQ__DEC_CW *cw, int b, void *SQ_RESTRICT work)
{
    SQ__DEC_T *SQ_RESTRICT dst =
        (SQ__DEC_T *)(void *)((uint8_t *)work + cw->data);
    const int32_t start = (int32_t)b * cw->block_len;
    const int n = SQ_MIN(cw->block_len, cw->len - start);
    const SQ__DEC_T *SQ_RESTRICT table = cw->table;
    const int bits = cw->bits;
    const uint32_t imask = (1u << bits) - 1u;
    int i;

    if (cw->format == SQ_CW_CODEBOOK) {
        const uint32_t bit0 = (uint32_t)start * (uint32_t)bits;
        const uint8_t *SQ_RESTRICT p = cw->idx + (bit0 >> 3);
        i = 0;
#if SQ__DEC_PAIRS && SQ_LITTLE_ENDIAN
        if (bits == 4 && (bit0 & 7u) == 0u) {
            /* 8 codes per 32-bit load of indices: 4 pair-table lookups */
            const uint16_t *SQ_RESTRICT pairs =
                (const uint16_t *)(const void *)((const uint8_t *)work +
                                                 cw->pairs);
            for (; i + 8 <= n; i += 8) {
                uint32_t w, lo, hi;
                memcpy(&w, p, 4);
                p += 4;
                lo = pairs[w & 255u] | ((uint32_t)pairs[(w >> 8) & 255u] << 16);
                hi = pairs[(w >> 16) & 255u] | ((uint32_t)pairs[w >> 24] << 16);
                memcpy(dst + i, &lo, 4);
                memcpy(dst + i + 4, &hi, 4);
            }
        }
#endif
        if (bits == 4 && (bit0 & 7u) == 0u) {
            for (; i + 2 <= n; i += 2) {
                const uint32_t v = *p++;
                dst[i] = table[v & 15u];
                dst[i + 1] = table[v >> 4];
            }
            if (i < n) {
                dst[i] = table[*p & 15u];
            }
            return n;
        }
        if (bits == 8) {
            for (; i < n; ++i) {
                dst[i] = table[p[i]];
            }
            return n;
        }
        {
            sq__bits r;
            sq__bits_at(&r, cw->idx, bit0);
            for (; i < n; ++i) {
                dst[i] = table[sq__bits_get(&r, bits)];
            }
        }
        return n;
    }

    /*
     * Sparse: per mask byte (8 elements) zeros, then the stored elements at
     * the positions of its set bits (the work area's position table: 3 bits
     * per position, the count in bits 24..27). Indices come from one 32-bit
     * load at the byte of the group's first entry (at least 25 valid bits),
     * element by element when the group's indices need more.
     */
    {
        const uint32_t *SQ_RESTRICT positions = (const uint32_t *)work;
        const int coded = cw->format == SQ_CW_SPARSE_CODEBOOK;
        const SQ__DEC_T *SQ_RESTRICT values =
            coded ? 0 : cw->values + cw->first[b];
        uint32_t e = cw->first[b];
        sq__bits mk;

        i = 0;
        if (coded && (start & 7) == 0) {
            const uint8_t *SQ_RESTRICT mp = cw->mask + (start >> 3);
            if (bits == 4) {
                e = SQ__DEC_GROUPS(mp, n >> 3, positions, cw->idx, e, 4,
                                   table, dst);
            } else {
                e = SQ__DEC_GROUPS(mp, n >> 3, positions, cw->idx, e, bits,
                                   table, dst);
            }
            i = n & ~7;
        }
        sq__bits_at(&mk, cw->mask, (uint32_t)(start + i));
        for (; i < n; i += 8) {
            const int r = SQ_MIN(8, n - i);
            uint32_t pos = positions[sq__bits_get(&mk, r)];
            int c = (int)(pos >> 24);
            SQ__DEC_T *SQ_RESTRICT d = dst + i;
            if (r == 8) {
                memset(d, 0, 8 * sizeof(SQ__DEC_T));
            } else {
                memset(d, 0, (size_t)r * sizeof(SQ__DEC_T));
            }
            if (!coded) {
                for (; c > 0; --c) {
                    d[pos & 7u] = *values++;
                    pos >>= 3;
                }
                continue;
            }
            if (c * bits <= 25) {
                const uint32_t bit = e * (uint32_t)bits;
                uint32_t w;
                memcpy(&w, cw->idx + (bit >> 3), 4);
                w = sq__le32(w) >> (bit & 7u);
                e += (uint32_t)c;
                for (; c > 0; --c) {
                    d[pos & 7u] = table[w & imask];
                    w >>= bits;
                    pos >>= 3;
                }
                continue;
            }
            for (; c > 0; --c) {
                sq__bits one;
                sq__bits_at(&one, cw->idx, e * (uint32_t)bits);
                d[pos & 7u] = table[sq__bits_get(&one, bits)];
                ++e;
                pos >>= 3;
            }
        }
    }
    return n;
}

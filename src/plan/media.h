/*
 * media.h — the compatibility rules of src/plan/media.c, shared with the supply
 * planner (src/supply/supply.c) so that "which transceivers may serve this link
 * level" has one definition.  Internal, not public API.
 *
 * A link level's ends: the cage form factor, the logical ports per cage
 * (ppc) and which end it is (server or switch, for fits: finned/flat top).
 * A transceiver serves an end when it plugs into that cage, carries exactly
 * ppc links and fits that end; a pair serves the level when both ends are
 * served, both carry the link speed, both reach the distance, and the two
 * share standard, connector and medium.  That last test is an equivalence
 * relation: the compatible pairs of a level are exactly the products of the
 * per-end candidates within one (standard, connector, medium) family.
 *
 * Co-packaged optics: an end on a co-packaged switch is served by the
 * switch's own port (lfi_media_end.cpo) and nothing else; the far end pairs
 * with it by the same family rule, and no cable reaches it (fibre only).
 *
 * Linear optics (LPO, LRO: no DSP on the receive side) need a host whose SerDes
 * drives them: a switch listing them in `linear_drive`; servers never do.
 *
 * Protocols (InfiniBand, Ethernet; lightfab.h LF_PROTO_*, 0 = both): a link
 * runs a protocol both boxes at its ends run (server level: the server's NIC
 * and the leaf switch; switch levels: the two switches), `proto` of both
 * lfi_media_ends.  A part serves an end only when it runs one of those, and
 * the two ends of a pair must run the same ones of them (an InfiniBand-only
 * module never meets an Ethernet-only one; where the boxes run both, an
 * IB-only module pairs only with IB-only ones).  Comparing the sets keeps the
 * pair test an equivalence relation, so the family products above still hold.
 */
#ifndef LF_MEDIA_H
#define LF_MEDIA_H

#include <stdbool.h>

#include "plan.h"

typedef struct lfi_media_end {
	const char *ff;
	int ppc;
	lf_fit_end end;
	const char *what;          /* "dgx-h100", "qm9700" */
	unsigned box_proto;        /* LF_PROTO_* this end's box runs (a server: its NIC) */
	unsigned proto;            /* LF_PROTO_* the link may run: both boxes run it */
	unsigned linear;           /* LF_DRIVE_BIT()s of linear optics the box can drive */
	const lf_spec *spec;       /* for parts the user allowed by name */
	const lf_optic *cpo;       /* a co-packaged switch: its port (the only part that
	                            * serves this end, lf_switch.cpo_port); else NULL */
} lfi_media_end;

/* A catalog protocols field as a mask: 0 (not stated) is both. */
static inline unsigned lfi_media_protocols(unsigned p) { return p ? p : LF_PROTO_ANY; }

/* The media a plan's links run on, as a table: each link level's
 * (lf_plan.media, index = level, entry 0 unused) or, on a floor layout,
 * each media variant's (lf_layout.var); *n is its size.  lfi_media_of gives
 * link i's index into it. */
const lf_media *lfi_media_table(const lf_plan *pl, size_t *n);
size_t lfi_media_of(const lf_plan *pl, size_t link);

/* The ends, link speed and distance of `level`; false when it has no links. */
bool lfi_media_level_ends(const lf_plan *pl, int level, lfi_media_end *lo, lfi_media_end *up,
                          int *gbps, double *distance_m);
/* A transceiver (not a cable) of that speed reaching that distance. */
bool lfi_media_xcvr_ok(const lf_optic *o, int gbps, double distance_m);
/* Plugs into the end's cage, carries its ppc links, fits it, runs one of its
 * protocols, and is retimed or a linear part the box can drive.  On an
 * InfiniBand-only link a part must list ib, or match an optics allow
 * pattern (the user vouches for it). */
bool lfi_media_end_fits(const lf_optic *o, const lfi_media_end *e);
/* The spec's optics allow/deny lists admit this id (deny wins). */
bool lfi_media_allowed(const lf_spec *sp, const char *id);
/* Same standard, connector and medium, and the same protocols among `proto`
 * (the level's, lfi_media_end.proto): the two ends interoperate. */
bool lfi_media_same_family(const lf_optic *x, const lf_optic *y, unsigned proto);
/* A cable (either end) runs one of the level's protocols (the ib rule of
 * lfi_media_end_fits included). */
bool lfi_media_cable_proto_ok(const lf_optic *c, const lfi_media_end *e);
/* The protocols a NIC port runs as `links_per_port` links of `gbps` each:
 * those of its matching modes (lf_nic_mode), or, when the NIC lists no
 * modes, its `protocols`.  0: no mode runs that split. */
unsigned lfi_media_nic_proto(const lf_nic *nic, int gbps, int links_per_port);
/* "1 x 800G ib, 2 x 400G eth" into buf (the NIC's modes, for messages) */
void lfi_media_nic_modes(const lf_nic *nic, char *buf, size_t n);
/* The medium the per-level rules choose for links of `distance_m` (the
 * layout's per-link choice, src/plan/layout.c); LF_EINPUT when no part fits. */
lf_status lfi_media_for_distance(const lf_plan *pl, int level, double distance_m, lf_media *out,
                                 lf_error *err) LF_MUST;
/* Union-find root of x (path halving): cages wired together share a root
 * (media.c per level, layout.c over every level). */
uint32_t lfi_uf_find(uint32_t *parent, uint32_t x);
/* "ib", "eth", "ib+eth" or "none" */
const char *lfi_media_proto_name(unsigned proto);

#endif

/*
 * ACPI table discovery. The kernel needs little from ACPI today: how to
 * power off (FADT PM1 control blocks, the \_S5 sleep type in the DSDT),
 * how to reset (the FADT reset register) and how many CPUs there are
 * (MADT). Every table is checksummed before it is believed.
 */
#include <kevlar/acpi.h>
#include <kevlar/boot.h>
#include <kevlar/errno.h>
#include <kevlar/layout.h>
#include <kevlar/paging.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>

#define ACPI_MAX_TABLE (16UL << 20)

struct acpi_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_header) == 36, "ACPI header layout");

struct acpi_power acpi_power;
struct acpi_irq_routing acpi_irq = {
	.isa_gsi = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
};
static unsigned cpu_count = 1;

static u8 checksum(const u8 *p, size_t len)
{
	u8 sum = 0;
	while (len--)
		sum += *p++;
	return sum;
}

/* Maps physical memory for reading: the direct map for RAM, else an
 * uncached device mapping (firmware areas the memory map calls reserved). */
static const void *acpi_map(paddr_t pa, size_t len)
{
	if (direct_map_contains(pa, len))
		return phys_to_virt(pa);
	return (const void __force *)ioremap(pa, len);
}

/* Maps a whole table after checking its header, length and checksum. */
static const struct acpi_header *map_table(paddr_t pa)
{
	const struct acpi_header *h = acpi_map(pa, sizeof(*h));
	if (!h)
		return NULL;
	if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE) {
		printk("acpi: table at 0x%lx has absurd length %u, ignored\n", pa, h->length);
		return NULL;
	}
	h = acpi_map(pa, h->length);
	if (!h)
		return NULL;
	if (checksum((const u8 *)h, h->length)) {
		printk("acpi: table %.4s at 0x%lx has a bad checksum, ignored\n", h->signature, pa);
		return NULL;
	}
	return h;
}

static bool rsdp_valid(const u8 *r, u32 len)
{
	if (len < 20 || memcmp(r, "RSD PTR ", 8) || checksum(r, 20))
		return false;
	if (r[15] >= 2 && len >= 36 && checksum(r, 36))
		return false;
	return true;
}

/* The RSDP from the boot loader, else from the EBDA or the BIOS ROM. */
static const u8 *find_rsdp(const struct boot_info *bi, u32 *len)
{
	if (bi->rsdp_len && rsdp_valid(bi->rsdp, bi->rsdp_len)) {
		*len = bi->rsdp_len;
		return bi->rsdp;
	}
	const u8 *bda = acpi_map(0x40e, 2);
	paddr_t ebda = bda ? (paddr_t)(*(const u16 *)bda) << 4 : 0;
	paddr_t areas[2][2] = { { ebda, ebda + 1024 }, { 0xe0000, 0x100000 } };
	for (int a = 0; a < 2; a++) {
		if (!areas[a][0])
			continue;
		const u8 *p = acpi_map(areas[a][0], areas[a][1] - areas[a][0]);
		for (paddr_t off = 0; p && off + 36 <= areas[a][1] - areas[a][0]; off += 16) {
			if (rsdp_valid(p + off, 36)) {
				*len = 36;
				return p + off;
			}
		}
	}
	return NULL;
}

static u32 rd32(const void *p) { u32 v; memcpy(&v, p, 4); return v; }
static u64 rd64(const void *p) { u64 v; memcpy(&v, p, 8); return v; }

/* Decodes one AML integer (ZeroOp, OneOp, BytePrefix, or a bare byte). */
static int aml_byte(const u8 *p, const u8 *end, u8 *out)
{
	if (p >= end)
		return -ENOENT;
	switch (*p) {
	case 0x00: *out = 0; return 1;
	case 0x01: *out = 1; return 1;
	case 0x0a:
		if (p + 1 >= end)
			return -ENOENT;
		*out = p[1];
		return 2;
	default:
		*out = *p;
		return 1;
	}
}

int acpi_find_s5(const u8 *aml, size_t len, u8 *typa, u8 *typb)
{
	const u8 *end = aml + len;

	for (const u8 *p = aml; p + 4 < end; p++) {
		if (memcmp(p, "_S5_", 4))
			continue;
		/* NameOp (0x08), optionally a root prefix '\\', then the name. */
		bool named = (p > aml && p[-1] == 0x08) ||
			     (p > aml + 1 && p[-1] == '\\' && p[-2] == 0x08);
		const u8 *q = p + 4;
		if (!named || q >= end || *q != 0x12)   /* PackageOp */
			continue;
		q++;
		if (q >= end)
			return -ENOENT;
		q += 1 + (*q >> 6);                     /* PkgLength */
		q++;                                    /* NumElements */
		int n = aml_byte(q, end, typa);
		if (n < 0)
			return -ENOENT;
		n = aml_byte(q + n, end, typb);
		if (n < 0)
			*typb = 0;
		return 0;
	}
	return -ENOENT;
}

static void parse_fadt(const struct acpi_header *h)
{
	const u8 *f = (const u8 *)h;
	struct acpi_power *pw = &acpi_power;

	if (h->length < 116) {
		printk("acpi: FADT too short (%u bytes)\n", h->length);
		return;
	}
	pw->smi_cmd = (u16)rd32(f + 48);
	pw->acpi_enable = f[52];
	pw->pm1a_cnt = (struct acpi_gas){ ACPI_SPACE_IO, 16, 0, 2, rd32(f + 64) };
	pw->pm1b_cnt = (struct acpi_gas){ ACPI_SPACE_IO, 16, 0, 2, rd32(f + 68) };
	if (h->length >= 196) {
		struct acpi_gas x;
		memcpy(&x, f + 172, sizeof(x));
		if (x.address)
			pw->pm1a_cnt = x;
		memcpy(&x, f + 184, sizeof(x));
		if (x.address)
			pw->pm1b_cnt = x;
	}
	if (h->length >= 129 && (rd32(f + 112) & (1u << 10))) {
		memcpy(&pw->reset_reg, f + 116, sizeof(pw->reset_reg));
		pw->reset_value = f[128];
		pw->reset_valid = pw->reset_reg.address != 0;
	}
	pw->valid = pw->pm1a_cnt.address != 0;

	paddr_t dsdt = rd32(f + 40);
	if (h->length >= 148 && rd64(f + 140))
		dsdt = rd64(f + 140);
	const struct acpi_header *d = dsdt ? map_table(dsdt) : NULL;
	if (!d) {
		printk("acpi: no usable DSDT; power-off will not work\n");
		return;
	}
	if (acpi_find_s5((const u8 *)d + sizeof(*d), d->length - sizeof(*d),
			 &pw->slp_typa, &pw->slp_typb) == 0)
		pw->s5_valid = true;
	else
		printk("acpi: DSDT has no \\_S5 object; power-off will not work\n");
}

static void parse_madt(const struct acpi_header *h)
{
	const u8 *p = (const u8 *)h + 44;
	const u8 *end = (const u8 *)h + h->length;
	unsigned n = 0;

	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (p[0] == 0 && p[1] >= 8 && (rd32(p + 4) & 3)) {
			n++;                /* processor local APIC */
		} else if (p[0] == 9 && p[1] >= 16 && (rd32(p + 8) & 3)) {
			n++;                /* processor local x2APIC */
		} else if (p[0] == 1 && p[1] >= 12 && !acpi_irq.ioapic_base) {
			acpi_irq.ioapic_base = rd32(p + 4);       /* I/O APIC */
			acpi_irq.ioapic_gsi_base = rd32(p + 8);
		} else if (p[0] == 2 && p[1] >= 10 && p[3] < 16) {
			/* Interrupt source override: ISA irq p[3] -> GSI. */
			u16 flags = (u16)(p[8] | (p[9] << 8));
			acpi_irq.isa_gsi[p[3]] = rd32(p + 4);
			acpi_irq.isa_flags[p[3]] = flags;
		}
		p += p[1];
	}
	cpu_count = n ? n : 1;
}

void acpi_init(const struct boot_info *bi)
{
	u32 rlen;
	const u8 *rsdp = find_rsdp(bi, &rlen);

	if (!rsdp) {
		printk("acpi: no RSDP found; no power-off, one CPU assumed\n");
		return;
	}
	bool xsdt = rsdp[15] >= 2 && rlen >= 36 && rd64(rsdp + 24);
	paddr_t root_pa = xsdt ? rd64(rsdp + 24) : rd32(rsdp + 16);
	const struct acpi_header *root = map_table(root_pa);
	if (!root) {
		printk("acpi: root table unusable\n");
		return;
	}
	size_t entry = xsdt ? 8 : 4;
	size_t n = (root->length - sizeof(*root)) / entry;
	for (size_t i = 0; i < n; i++) {
		const u8 *e = (const u8 *)root + sizeof(*root) + i * entry;
		paddr_t pa = xsdt ? rd64(e) : rd32(e);
		const struct acpi_header *t = pa ? map_table(pa) : NULL;
		if (!t)
			continue;
		if (!memcmp(t->signature, "FACP", 4))
			parse_fadt(t);
		else if (!memcmp(t->signature, "APIC", 4))
			parse_madt(t);
	}
	printk("acpi: %s at 0x%lx, %u CPU%s, power-off %s\n", xsdt ? "XSDT" : "RSDT",
	       root_pa, cpu_count, cpu_count == 1 ? "" : "s",
	       acpi_power.valid && acpi_power.s5_valid ? "via S5" : "unavailable");
}

unsigned acpi_cpu_count(void)
{
	return cpu_count;
}

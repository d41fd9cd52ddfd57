/* The CMOS real-time clock: the wall-clock time at boot. */
#include <kevlar/time.h>
#include "cpu.h"

static u8 cmos(u8 reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned bcd(u8 v, bool binary)
{
	return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static s64 days_from_civil(s64 y, unsigned m, unsigned d)
{
	y -= m <= 2;
	s64 era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (s64)doe - 719468;
}

s64 rtc_read_epoch(void)
{
	u8 sec, min, hour, day, mon, year, b;

	/* Read twice until equal, so no update falls between the fields. */
	for (int tries = 0; tries < 5; tries++) {
		for (int spin = 0; spin < 100000 && (cmos(0x0a) & 0x80); spin++)
			;
		sec = cmos(0x00); min = cmos(0x02); hour = cmos(0x04);
		day = cmos(0x07); mon = cmos(0x08); year = cmos(0x09);
		if (sec == cmos(0x00) && min == cmos(0x02))
			break;
	}
	b = cmos(0x0b);
	bool binary = b & 0x04, h24 = b & 0x02;
	bool pm = !h24 && (hour & 0x80);
	unsigned h = bcd(hour & 0x7f, binary);
	if (!h24)
		h = (h % 12) + (pm ? 12 : 0);
	s64 days = days_from_civil(2000 + bcd(year, binary), bcd(mon, binary), bcd(day, binary));
	return days * 86400 + h * 3600 + bcd(min, binary) * 60 + bcd(sec, binary);
}

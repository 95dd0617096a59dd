/*
 * A filter around spandsp's G.722 (libspandsp2, the library baresip's g722 module links),
 * for comparing Hotline's codec with it bit for bit:
 *   spandsp-g722 encode < 16 kHz s16le PCM > G.722 octets
 *   spandsp-g722 decode < G.722 octets > 16 kHz s16le PCM
 * 64 kbit/s, 16 kHz samples, one octet per byte (no packing). Debian ships the library
 * without its headers, so the four functions used are declared here as spandsp 0.0.6
 * defines them; the states are opaque.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void *g722_encode_init(void *s, int rate, int options);
int g722_encode(void *s, uint8_t g722_data[], const int16_t amp[], int len);
void *g722_decode_init(void *s, int rate, int options);
int g722_decode(void *s, int16_t amp[], const uint8_t g722_data[], int len);

enum { FRAME = 320 };

static int encode(void) {
  void *s = g722_encode_init(NULL, 64000, 0);
  int16_t pcm[FRAME];
  uint8_t octets[FRAME / 2];
  size_t n;
  if (s == NULL) return 1;
  while ((n = fread(pcm, sizeof pcm[0], FRAME, stdin)) > 0) {
    int k = g722_encode(s, octets, pcm, (int)n);
    if (fwrite(octets, 1, (size_t)k, stdout) != (size_t)k) return 1;
  }
  return 0;
}

static int decode(void) {
  void *s = g722_decode_init(NULL, 64000, 0);
  uint8_t octets[FRAME / 2];
  int16_t pcm[FRAME];
  size_t n;
  if (s == NULL) return 1;
  while ((n = fread(octets, 1, FRAME / 2, stdin)) > 0) {
    int k = g722_decode(s, pcm, octets, (int)n);
    if (fwrite(pcm, sizeof pcm[0], (size_t)k, stdout) != (size_t)k) return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "encode") == 0) return encode();
  if (argc == 2 && strcmp(argv[1], "decode") == 0) return decode();
  fprintf(stderr, "usage: %s encode|decode < in > out\n", argv[0]);
  return 2;
}

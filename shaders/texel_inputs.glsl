// Float tensors read through vec4 texel buffers (OpInfo.texel_tensors: a `uniform
// samplerBuffer` of R32G32B32A32 texels): element i is component i mod 4 of texel i / 4.
// Shaders built with -DTEXEL_INPUTS (the <name>_tx ops, shaders/meson.build) read their
// inputs this way; on CPU-hosted drivers (lavapipe) a texel fetch is a branch-free gather
// where a storage buffer load is a loop over the SIMD lanes per element.
float texel_component(vec4 t, int k)
{
    return k == 0 ? t.x : k == 1 ? t.y : k == 2 ? t.z : t.w;
}
#define TEXEL_AT(S, I) texel_component(texelFetch(S, (I) >> 2), (I) & 3)

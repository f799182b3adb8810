/* Commands: ops and copies are recorded into one command buffer (a batch) that is submitted
 * when the host needs a result (download, finish) or a per-batch resource runs out.
 *
 * Synchronisation: before every command, a buffer memory barrier on each buffer it uses
 * makes earlier compute and transfer writes to that buffer visible (read after write) and
 * orders it after earlier reads and writes (write after read/write). A barrier's first
 * scope covers every command earlier in submission order, so this holds across batches
 * too. A batch ends with a barrier to the host stage so mapped memory can be read after
 * the fence.
 *
 * Profiling (WEFT_GPU_PROFILE=1): two timestamps around each dispatch; per-op times are
 * logged at verbose level when the batch completes, and totals when the device closes. */
#include <stdlib.h>
#include <string.h>

#include "gpu/gpu_internal.h"

static int env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

int gpu_commands_init(GpuContext *g)
{
    g->batch_id = 1;
    VkCommandPoolCreateInfo pool_info = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
        .queueFamilyIndex = g->queue_family,
    };
    int err = gpu_check(g, vkCreateCommandPool(g->device, &pool_info, NULL, &g->command_pool),
                        "vkCreateCommandPool");
    if (err < 0)
        return err;
    VkCommandBufferAllocateInfo alloc = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = g->command_pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1,
    };
    if ((err = gpu_check(g, vkAllocateCommandBuffers(g->device, &alloc, &g->cmd),
                         "vkAllocateCommandBuffers")) < 0)
        return err;
    VkFenceCreateInfo fence_info = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if ((err = gpu_check(g, vkCreateFence(g->device, &fence_info, NULL, &g->fence),
                         "vkCreateFence")) < 0)
        return err;

    if (!g->push_descriptor_set) {
        VkDescriptorPoolSize sizes[2] = {
            {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, GPU_MAX_POOL_SETS * OP_MAX_TENSORS},
            {VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER, GPU_MAX_POOL_SETS * OP_MAX_TENSORS},
        };
        VkDescriptorPoolCreateInfo info = {
            .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
            .maxSets = GPU_MAX_POOL_SETS,
            .poolSizeCount = 2,
            .pPoolSizes = sizes,
        };
        if ((err = gpu_check(g, vkCreateDescriptorPool(g->device, &info, NULL, &g->descriptor_pool),
                             "vkCreateDescriptorPool")) < 0)
            return err;
    }

    if (env_flag("WEFT_GPU_PROFILE")) {
        if (!g->timestamp_bits) {
            log_warn(g->log, "vulkan: WEFT_GPU_PROFILE is set but this queue has no timestamps");
            return 0;
        }
        VkQueryPoolCreateInfo info = {
            .sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
            .queryType = VK_QUERY_TYPE_TIMESTAMP,
            .queryCount = 2 * GPU_MAX_TIMED_DISPATCHES,
        };
        if ((err = gpu_check(g, vkCreateQueryPool(g->device, &info, NULL, &g->queries),
                             "vkCreateQueryPool")) < 0)
            return err;
        g->profile = 1;
    }
    return 0;
}

static int begin_batch(GpuContext *g)
{
    if (g->lost)
        return -EIO;
    if (g->recording)
        return 0;
    VkCommandBufferBeginInfo info = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
        .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
    };
    int err = gpu_check(g, vkBeginCommandBuffer(g->cmd, &info), "vkBeginCommandBuffer");
    if (err < 0)
        return err;
    if (g->profile)
        vkCmdResetQueryPool(g->cmd, g->queries, 0, 2 * GPU_MAX_TIMED_DISPATCHES);
    g->recording = 1;
    g->batch_commands = 0;
    g->timed_dispatches = 0;
    return 0;
}

static void barrier(GpuContext *g, GpuBuffer *const *buffers, int n, VkPipelineStageFlags dst_stage,
                    VkAccessFlags dst_access)
{
    VkBufferMemoryBarrier barriers[OP_MAX_TENSORS] = {0};
    for (int i = 0; i < n; i++)
        barriers[i] = (VkBufferMemoryBarrier){
            .sType = VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER,
            .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
            .dstAccessMask = dst_access,
            .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
            .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
            .buffer = buffers[i]->buffer,
            .offset = 0,
            .size = VK_WHOLE_SIZE,
        };
    vkCmdPipelineBarrier(g->cmd,
                         VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                         dst_stage, 0, 0, NULL, (uint32_t)n, barriers, 0, NULL);
    for (int i = 0; i < n; i++)
        buffers[i]->batch_id = g->batch_id;
}

int gpu_cmd_dispatch(GpuContext *g, GpuPipeline *p, const void *params, GpuBuffer *const *buffers,
                     const uint32_t grid[3])
{
    const OpInfo *op = p->op;
    uint32_t groups[3];
    for (int i = 0; i < 3; i++) {
        groups[i] = grid[i] / op->local[i] + (grid[i] % op->local[i] != 0);
        if (!groups[i])
            return 0; /* nothing to compute */
        if (groups[i] > g->props.limits.maxComputeWorkGroupCount[i]) {
            log_error(g->log,
                      "vulkan: op '%s' needs %u work groups in dimension %d; this "
                      "device allows %u",
                      op->name, groups[i], i, g->props.limits.maxComputeWorkGroupCount[i]);
            return -E2BIG;
        }
    }
    int err;
    if ((g->profile && g->timed_dispatches == GPU_MAX_TIMED_DISPATCHES) ||
        (!g->push_descriptor_set && g->descriptor_sets_used == GPU_MAX_POOL_SETS))
        if ((err = gpu_cmd_flush(g)) < 0)
            return err;
    if ((err = begin_batch(g)) < 0)
        return err;

    barrier(g, buffers, op->num_tensors, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
            VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
    vkCmdBindPipeline(g->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p->pipeline);

    VkDescriptorBufferInfo infos[OP_MAX_TENSORS];
    VkBufferView views[OP_MAX_TENSORS];
    VkWriteDescriptorSet writes[OP_MAX_TENSORS];
    VkDescriptorSet set = VK_NULL_HANDLE;
    for (int i = 0; i < op->num_tensors; i++)
        if ((op->texel_tensors & (1u << i)) && (err = gpu_buffer_view(g, buffers[i], &views[i])) < 0)
            return err;
    if (!g->push_descriptor_set) {
        VkDescriptorSetAllocateInfo alloc = {
            .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
            .descriptorPool = g->descriptor_pool,
            .descriptorSetCount = 1,
            .pSetLayouts = &p->set_layout,
        };
        if ((err = gpu_check(g, vkAllocateDescriptorSets(g->device, &alloc, &set),
                             "vkAllocateDescriptorSets")) < 0)
            return err;
        g->descriptor_sets_used++;
    }
    for (int i = 0; i < op->num_tensors; i++) {
        int texel = (op->texel_tensors & (1u << i)) != 0;
        infos[i] = (VkDescriptorBufferInfo){buffers[i]->buffer, 0, VK_WHOLE_SIZE};
        writes[i] = (VkWriteDescriptorSet){
            .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
            .dstSet = set,
            .dstBinding = (uint32_t)i,
            .descriptorCount = 1,
            .descriptorType = texel ? VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER
                                    : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
            .pBufferInfo = texel ? NULL : &infos[i],
            .pTexelBufferView = texel ? &views[i] : NULL,
        };
    }
    if (g->push_descriptor_set) {
        g->push_descriptor_set(g->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p->layout, 0,
                               (uint32_t)op->num_tensors, writes);
    } else {
        vkUpdateDescriptorSets(g->device, (uint32_t)op->num_tensors, writes, 0, NULL);
        vkCmdBindDescriptorSets(g->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p->layout, 0, 1, &set, 0,
                                NULL);
    }
    if (op->params_size)
        vkCmdPushConstants(g->cmd, p->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0,
                           (uint32_t)op->params_size, params);

    uint32_t query = 2 * (uint32_t)g->timed_dispatches;
    if (g->profile)
        vkCmdWriteTimestamp(g->cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, g->queries, query);
    vkCmdDispatch(g->cmd, groups[0], groups[1], groups[2]);
    if (g->profile) {
        vkCmdWriteTimestamp(g->cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, g->queries, query + 1);
        g->timed_ops[g->timed_dispatches++] = op;
    }
    g->batch_commands++;
    return 0;
}

int gpu_cmd_copy(GpuContext *g, GpuBuffer *src, VkDeviceSize src_offset, GpuBuffer *dst,
                 VkDeviceSize dst_offset, VkDeviceSize size)
{
    int err = begin_batch(g);
    if (err < 0)
        return err;
    GpuBuffer *both[2] = {src, dst};
    barrier(g, both, 2, VK_PIPELINE_STAGE_TRANSFER_BIT,
            VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT);
    VkBufferCopy region = {.srcOffset = src_offset, .dstOffset = dst_offset, .size = size};
    vkCmdCopyBuffer(g->cmd, src->buffer, dst->buffer, 1, &region);
    g->batch_commands++;
    return 0;
}

int gpu_cmd_uses(const GpuContext *g, const GpuBuffer *b)
{
    return g->recording && b->batch_id == g->batch_id;
}

static void add_op_time(GpuContext *g, const OpInfo *op, double ms)
{
    for (int i = 0; i < g->num_op_times; i++) {
        if (g->op_times[i].op == op) {
            g->op_times[i].total_ms += ms;
            g->op_times[i].count++;
            return;
        }
    }
    if (g->num_op_times == g->max_op_times) {
        int max = g->max_op_times ? 2 * g->max_op_times : 32;
        GpuOpTime *grown = realloc(g->op_times, (size_t)max * sizeof(*grown));
        if (!grown)
            return; /* profiling is best effort */
        g->op_times = grown;
        g->max_op_times = max;
    }
    g->op_times[g->num_op_times++] = (GpuOpTime){.op = op, .total_ms = ms, .count = 1};
}

static void read_timestamps(GpuContext *g)
{
    uint32_t n = 2 * (uint32_t)g->timed_dispatches;
    uint64_t stamps[2 * GPU_MAX_TIMED_DISPATCHES];
    if (!n || vkGetQueryPoolResults(g->device, g->queries, 0, n, sizeof(stamps), stamps,
                                    sizeof(uint64_t), VK_QUERY_RESULT_64_BIT) != VK_SUCCESS)
        return;
    uint64_t mask =
        g->timestamp_bits >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << g->timestamp_bits) - 1);
    for (int i = 0; i < g->timed_dispatches; i++) {
        uint64_t ticks = (stamps[2 * i + 1] - stamps[2 * i]) & mask;
        double ms = (double)ticks * g->props.limits.timestampPeriod * 1e-6;
        log_verbose(g->log, "vulkan profile: %-20s %9.3f ms", g->timed_ops[i]->name, ms);
        add_op_time(g, g->timed_ops[i], ms);
    }
}

int gpu_cmd_flush(GpuContext *g)
{
    if (!g->recording)
        return g->lost ? -EIO : 0;
    VkMemoryBarrier to_host = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
    };
    vkCmdPipelineBarrier(g->cmd,
                         VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &to_host, 0, NULL, 0, NULL);
    int err = gpu_check(g, vkEndCommandBuffer(g->cmd), "vkEndCommandBuffer");
    if (err >= 0) {
        VkSubmitInfo submit = {
            .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
            .commandBufferCount = 1,
            .pCommandBuffers = &g->cmd,
        };
        /* a shared queue: the caller's lock makes this thread its only user meanwhile */
        if (g->lock_queue)
            g->lock_queue(g->lock_opaque, g->queue_family, g->queue_index);
        VkResult r = vkQueueSubmit(g->queue, 1, &submit, g->fence);
        if (g->unlock_queue)
            g->unlock_queue(g->lock_opaque, g->queue_family, g->queue_index);
        err = gpu_check(g, r, "vkQueueSubmit");
        if (err >= 0)
            err = gpu_check(g, vkWaitForFences(g->device, 1, &g->fence, VK_TRUE, UINT64_MAX),
                            "vkWaitForFences");
        if (err >= 0)
            err = gpu_check(g, vkResetFences(g->device, 1, &g->fence), "vkResetFences");
    }
    if (err < 0) {
        /* The batch's results are lost and the fence state is unknown: stop using it. */
        g->lost = 1;
    } else if (g->profile) {
        read_timestamps(g);
    }
    vkResetCommandPool(g->device, g->command_pool, 0);
    if (g->descriptor_pool)
        vkResetDescriptorPool(g->device, g->descriptor_pool, 0);
    g->descriptor_sets_used = 0;
    g->recording = 0;
    g->batch_commands = 0;
    g->timed_dispatches = 0;
    g->staging_used = 0;
    g->batch_id++;
    return err;
}

void gpu_commands_uninit(GpuContext *g)
{
    if (!g->device)
        return;
    if (g->recording)
        gpu_cmd_flush(g);
    for (int i = 0; i < g->num_op_times; i++) {
        const GpuOpTime *t = &g->op_times[i];
        log_verbose(g->log, "vulkan profile total: %-20s %6llu runs %10.3f ms (%.3f ms each)",
                    t->op->name, (unsigned long long)t->count, t->total_ms,
                    t->total_ms / (double)t->count);
    }
    free(g->op_times);
    g->op_times = NULL;
    g->num_op_times = g->max_op_times = 0;
    if (g->queries)
        vkDestroyQueryPool(g->device, g->queries, NULL);
    if (g->descriptor_pool)
        vkDestroyDescriptorPool(g->device, g->descriptor_pool, NULL);
    if (g->fence)
        vkDestroyFence(g->device, g->fence, NULL);
    if (g->command_pool)
        vkDestroyCommandPool(g->device, g->command_pool, NULL);
    g->queries = VK_NULL_HANDLE;
    g->descriptor_pool = VK_NULL_HANDLE;
    g->fence = VK_NULL_HANDLE;
    g->command_pool = VK_NULL_HANDLE;
    g->cmd = VK_NULL_HANDLE;
}

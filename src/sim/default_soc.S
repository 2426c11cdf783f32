/* The built-in default SoC: dts/default.dts compiled by dtc at build time. */
	.section .rodata
	.balign 8
	.global dk_default_dtb_start
	.hidden dk_default_dtb_start
dk_default_dtb_start:
	.incbin DK_DEFAULT_DTB
	.global dk_default_dtb_end
	.hidden dk_default_dtb_end
dk_default_dtb_end:
	.byte 0
	.section .note.GNU-stack,"",@progbits

if(POLICY_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(POLICY_SANITIZE_THREAD)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
# Coverage for libFuzzer in every object, the library's included: with only
# the fuzz targets instrumented, libFuzzer sees a few dozen edges and mutates
# blindly. (-fsanitize=fuzzer, which links libFuzzer's main, is on the targets.)
if(POLICY_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

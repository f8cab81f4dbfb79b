SqueezeCLI.main()
